"""name_normalized is the name's matching core (registry.matching.name_core); round 1 of issue 15
changed the core (abbreviations both ways, places inside names, generic words), so stored
communities are recomputed, or the import's SQL pools would compare old cores with new ones."""

from django.db import migrations

BATCH = 2000


def recompute(apps, schema_editor):
    from registry.matching import name_core  # the one rule: whatever it says now

    community_model = apps.get_model("registry", "Community")
    changed = []
    for community in community_model.objects.only("id", "name", "name_normalized").iterator(chunk_size=BATCH):
        core = name_core(community.name)[:200]
        if core != community.name_normalized:
            community.name_normalized = core
            changed.append(community)
        if len(changed) >= BATCH:
            community_model.objects.bulk_update(changed, ["name_normalized"])
            changed.clear()
    community_model.objects.bulk_update(changed, ["name_normalized"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0013_privacy_event_signup_sheet")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
