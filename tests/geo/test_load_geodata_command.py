from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from geo.models import GeodataLoad, Municipality


@pytest.mark.django_db
def test_second_run_reports_nothing_created_or_changed() -> None:
    out = StringIO()
    call_command("load_geodata", stdout=out)

    assert "Total: 0 created, 0 changed" in out.getvalue()


@pytest.mark.django_db
def test_if_changed_skips_files_already_loaded() -> None:
    call_command("load_geodata", stdout=StringIO())
    loads = GeodataLoad.objects.count()
    out = StringIO()

    call_command("load_geodata", "--if-changed", stdout=out)

    assert "уже загружены" in out.getvalue()
    assert GeodataLoad.objects.count() == loads


@pytest.mark.django_db
def test_plain_run_repairs_edits_that_if_changed_trusts() -> None:
    call_command("load_geodata", stdout=StringIO())
    Municipality.objects.filter(level=2).update(admin_center="испорчено")

    call_command("load_geodata", "--if-changed", stdout=StringIO())
    assert Municipality.objects.filter(admin_center="испорчено").count() == 832
    out = StringIO()
    call_command("load_geodata", stdout=out)

    assert "settlement_municipalities: 0 created, 832 changed" in out.getvalue()
    assert not Municipality.objects.filter(admin_center="испорчено").exists()


@pytest.mark.django_db
def test_a_repaired_field_is_counted_as_changed_once() -> None:
    Municipality.objects.filter(oktmo="80601000").update(admin_center="испорчено")
    out = StringIO()

    call_command("load_geodata", stdout=out)

    assert "municipalities: 0 created, 1 changed" in out.getvalue()
    assert Municipality.objects.get(oktmo="80601000").admin_center == "с Аскарово"
