from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.models import Case, Community, Consent, Leader, Leadership
from registry.templatetags.registry_tags import story_clean
from tests.registry.factories import community as new_community
from tests.registry.factories import municipality, sphere

pytestmark = pytest.mark.django_db


@pytest.fixture
def ufa_page() -> str:
    return municipality("80701000").get_absolute_url()


def _html(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def _proposed(**fields: Any) -> Community:
    return new_community(status=Community.Status.PROPOSED, **fields)


def _rejected(**fields: Any) -> Community:
    return new_community(status=Community.Status.REJECTED, rejection_reason="Нет участников", **fields)


# Municipality page


def test_municipality_page_lists_published_communities_with_total(client: Client, ufa_page: str) -> None:
    new_community(name="ТОС «Рассвет»")
    new_community(name="Клуб «Рукодельница»", sphere=sphere("interest"))

    html = _html(client, ufa_page)

    assert "ТОС «Рассвет»" in html
    assert "Клуб «Рукодельница»" in html
    assert "Всего сообществ: 2" in html


def test_municipality_page_never_lists_proposed_or_rejected_communities(
    client: Client, ufa_page: str
) -> None:
    _proposed(name="ТОС «На проверке»")
    _rejected(name="ТОС «Отклонённый»")
    new_community(name="ТОС «Архивный»", status=Community.Status.ARCHIVED)

    html = _html(client, ufa_page)

    assert "На проверке" not in html
    assert "Отклонённый" not in html
    assert "Архивный" not in html
    assert "Всего сообществ: 0" in html


def test_municipality_page_skips_communities_whose_verification_lapsed_long_ago(
    client: Client, ufa_page: str
) -> None:
    new_community(name="ТОС «Забытый»", verified_until=timezone.localdate().replace(year=2000))

    assert "Забытый" not in _html(client, ufa_page)


def test_municipality_page_groups_communities_by_sphere_with_counts(client: Client, ufa_page: str) -> None:
    new_community(name="ТОС «Рассвет»")
    new_community(name="ТОС «Родник»")
    new_community(name="Клуб «Рукодельница»", sphere=sphere("interest"))

    html = _html(client, ufa_page)

    assert 'id="sphere-territorial"' in html
    assert 'id="sphere-interest"' in html
    assert "По интересам (1)" in html
    assert (
        html.index('id="sphere-territorial"')
        < html.index("ТОС «Родник»")
        < html.index('id="sphere-interest"')
    )


def test_sphere_filter_narrows_the_list(client: Client, ufa_page: str) -> None:
    new_community(name="ТОС «Рассвет»")
    new_community(name="Клуб «Рукодельница»", sphere=sphere("interest"))

    html = _html(client, ufa_page, sphere="interest")

    assert "Клуб «Рукодельница»" in html
    assert "ТОС «Рассвет»" not in html
    assert "Найдено: 1 из 2" in html


def test_search_by_name_narrows_the_list(client: Client, ufa_page: str) -> None:
    new_community(name="ТОС «Рассвет»", name_normalized="рассвет")
    new_community(name="ТОС «Родник»", name_normalized="родник")

    html = _html(client, ufa_page, q="рассвет")

    assert "ТОС «Рассвет»" in html
    assert "ТОС «Родник»" not in html


def test_search_ignores_case_and_yo(client: Client, ufa_page: str) -> None:
    new_community(name="Клуб «Берёзка»", name_normalized="березка", sphere=sphere("interest"))

    assert "Клуб «Берёзка»" in _html(client, ufa_page, q="БЕРЕЗКА")


def test_unknown_sphere_code_shows_everything_with_a_message(client: Client, ufa_page: str) -> None:
    new_community(name="ТОС «Рассвет»")

    html = _html(client, ufa_page, sphere="no-such-sphere<script>")

    assert "ТОС «Рассвет»" in html
    assert "Такой сферы нет в справочнике" in html
    assert "<script>" not in html


def test_hostile_query_parameters_are_not_a_500(client: Client, ufa_page: str) -> None:
    new_community()

    for params in (
        {"q": "%" * 500},
        {"q": "'; DROP TABLE x;--"},
        {"q": "\\", "sphere": ""},
    ):
        assert client.get(ufa_page, params).status_code == 200, params
    nul = client.get(ufa_page, {"sphere": "\x00"})  # a NUL is refused for every route, naming the parameter
    assert nul.status_code == 400
    assert "«sphere»" in nul.content.decode()


def test_search_text_is_escaped_when_echoed(client: Client, ufa_page: str) -> None:
    new_community()

    html = _html(client, ufa_page, q='"><script>alert(1)</script>')

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_municipality_page_keeps_facts_and_lists_settlement_units_below(client: Client) -> None:
    html = _html(client, "/m/iglinskii-raion/")

    assert "80628000" in html
    assert html.index("Сообщества") < html.index("Кальтовский сельсовет")


def test_rural_settlement_page_lists_communities_of_its_settlements(client: Client) -> None:
    iglino = municipality("80628000")
    settlement = (
        iglino.settlements.filter(rural_municipality__isnull=False)
        .select_related("rural_municipality")
        .first()
    )
    assert settlement is not None
    assert settlement.rural_municipality is not None
    new_community(name="ТОС «Сельский»", municipality=iglino, settlement=settlement)

    assert "ТОС «Сельский»" in _html(client, settlement.rural_municipality.get_absolute_url())


def test_municipality_page_queries_do_not_grow_with_communities(client: Client, ufa_page: str) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ufa_page).status_code == 200
        return len(captured)

    for number in range(3):
        new_community(sphere=sphere(["territorial", "interest", "sport"][number % 3]))
    few = queries()  # a cold map cache: every new community changes the municipality's map
    for number in range(30):
        new_community(sphere=sphere(["territorial", "interest", "sport"][number % 3]))
    many = queries()

    assert many == few
    assert few <= 25
    assert queries() < few  # the map now comes from the cache


# Community page


def test_community_page_shows_a_published_community(client: Client) -> None:
    community = new_community(
        name="ТОС «Рассвет»",
        members_count=42,
        founded_year=2015,
        activities="Субботники",
        address="ул. Ленина, 1",
    )

    html = _html(client, community.get_absolute_url())

    assert "<h1>ТОС «Рассвет»" in html
    assert "Территориальное, соседское (ТОС)" in html
    assert 'href="/m/ufa/"' in html or municipality("80701000").get_absolute_url() in html
    assert "42" in html
    assert "2015" in html
    assert "Субботники" in html
    assert "ул. Ленина, 1" in html
    assert "Статус" not in html


@pytest.mark.parametrize("make", [_proposed, _rejected])
def test_unpublished_community_page_is_404_for_the_public(client: Client, make: Any) -> None:
    community = make(name="ТОС «Скрытый»")

    assert client.get(community.get_absolute_url()).status_code == 404


def test_unknown_community_page_is_404(client: Client) -> None:
    assert client.get("/c/no-such-community/").status_code == 404


def test_team_member_sees_their_proposed_community_with_a_status_banner(
    client: Client, ufa_team_member: User
) -> None:
    community = _proposed(name="ТОС «На проверке»")
    client.force_login(ufa_team_member)

    html = _html(client, community.get_absolute_url())

    assert "ТОС «На проверке»" in html
    assert "registry-banner" in html
    assert "на проверке" in html
    assert "не опубликовано" in html


def test_team_member_of_another_municipality_gets_404_for_a_proposed_community(
    client: Client, iglino_team_member: User
) -> None:
    community = _proposed()
    client.force_login(iglino_team_member)

    assert client.get(community.get_absolute_url()).status_code == 404


def test_hidden_exact_location_hides_the_address(client: Client) -> None:
    community = new_community(address="ул. Частная, 7", hide_exact_location=True)

    assert "ул. Частная, 7" not in _html(client, community.get_absolute_url())


def test_community_contact_is_shown_only_when_public(client: Client) -> None:
    private = new_community(contact="private@example.org", is_contact_public=False)
    public = new_community(contact="public@example.org", is_contact_public=True)

    assert "private@example.org" not in _html(client, private.get_absolute_url())
    assert "public@example.org" in _html(client, public.get_absolute_url())


def test_links_open_in_a_new_tab_with_nofollow_and_javascript_links_are_not_clickable(
    client: Client,
) -> None:
    community = new_community(links=["https://vk.com/tos_rassvet", "javascript:alert(1)"])

    html = _html(client, community.get_absolute_url())

    assert '<a href="https://vk.com/tos_rassvet" rel="nofollow noopener" target="_blank">' in html
    assert 'href="javascript:' not in html


def test_demo_community_page_has_the_demo_badge(client: Client) -> None:
    community = new_community(is_demo=True)

    assert "badge-demo" in _html(client, community.get_absolute_url())


def test_real_community_page_has_no_demo_badge(client: Client) -> None:
    assert "badge-demo" not in _html(client, new_community().get_absolute_url())


def test_community_page_shows_only_leaders_who_consented(client: Client) -> None:
    community = new_community()
    for full_name, scopes in (
        ("Гарипова Алсу Рашитовна", ["publish_name", "publish_contacts"]),
        ("Иванов Иван Иванович", ["store_contacts"]),
    ):
        leader = Leader.objects.create(
            full_name=full_name, phone="+79173456789", municipality=community.municipality
        )
        Leadership.objects.create(leader=leader, community=community)
        for scope in scopes:
            Consent.objects.create(
                leader=leader,
                scope=scope,
                purpose="Публикация",
                method="team_member",
                collected_at=timezone.now(),
            )

    html = _html(client, community.get_absolute_url())

    assert "Гарипова Алсу Рашитовна" in html
    assert "+7 917 345-67-89" in html
    assert "Иванов Иван Иванович" not in html


# XSS canaries

CANARIES = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("name", CANARIES)
def test_hostile_community_name_is_escaped_on_the_municipality_page(
    client: Client, ufa_page: str, name: str
) -> None:
    new_community(name=name)

    html = _html(client, ufa_page)

    assert name not in html
    assert name.replace("<", "&lt;").replace(">", "&gt;") in html


@pytest.mark.parametrize("name", CANARIES)
def test_hostile_community_name_is_escaped_on_the_community_page(client: Client, name: str) -> None:
    community = new_community(name=name)

    html = _html(client, community.get_absolute_url())

    assert name not in html
    assert name.replace("<", "&lt;").replace(">", "&gt;") in html


def test_formula_like_name_is_shown_as_text(client: Client) -> None:
    community = new_community(name='=HYPERLINK("http://x")')

    html = _html(client, community.get_absolute_url())

    assert "=HYPERLINK(&quot;http://x&quot;)" in html
    assert '<a href="http://x"' not in html


def test_hostile_description_and_activities_are_escaped(client: Client) -> None:
    community = new_community(
        description="Мы <script>alert(1)</script> соседи", activities='<a href="javascript:alert(1)">клик</a>'
    )

    html = _html(client, community.get_absolute_url())

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


# Cases


def _case(community: Community, **fields: Any) -> Case:
    values: dict[str, Any] = {
        "title": "Как двор стал общим делом",
        "story": "<p>История</p>",
        "golden_rules": ["Начинайте с малого", "Собирайтесь регулярно", "Отчитывайтесь", "Благодарите"],
        "is_published": True,
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Case.objects.create(community=community, **values)


def test_case_story_sanitiser_strips_scripts_and_javascript_links() -> None:
    cleaned = story_clean(
        '<p onclick="x()">Текст<script>alert(1)</script></p><a href="javascript:alert(1)">ссылка</a>'
        '<a href="https://example.org">сайт</a><iframe src="https://evil"></iframe><h3>Итоги</h3>'
    )

    assert "<script" not in cleaned
    assert "alert(1)" not in cleaned
    assert "javascript:" not in cleaned
    assert "onclick" not in cleaned
    assert "<iframe" not in cleaned
    assert 'href="https://example.org"' in cleaned
    assert "<h3>Итоги</h3>" in cleaned


def test_community_page_shows_its_case_with_golden_rules_in_order(client: Client) -> None:
    community = new_community()
    _case(community, story='<p>Было <strong>трудно</strong></p><script>alert("story")</script>')

    html = _html(client, community.get_absolute_url())

    assert "<strong>трудно</strong>" in html
    assert 'alert("story")' not in html
    assert "<ol" in html
    assert html.index("Начинайте с малого") < html.index("Собирайтесь регулярно") < html.index("Благодарите")


def test_unpublished_case_is_not_shown(client: Client) -> None:
    community = new_community()
    _case(community, title="Черновик кейса", is_published=False)

    assert "Черновик кейса" not in _html(client, community.get_absolute_url())
    assert "Черновик кейса" not in _html(client, "/cases/")


def test_case_list_shows_published_cases_with_community_link_and_first_rules(client: Client) -> None:
    community = new_community(name="ТОС «Рассвет»")
    case = _case(community)

    html = _html(client, "/cases/")

    assert "Как двор стал общим делом" in html
    assert f'href="{community.get_absolute_url()}"' in html
    assert f"#case-{case.pk}" in html
    assert "Начинайте с малого" in html
    assert "Благодарите" not in html  # only the first three rules


@pytest.mark.parametrize("make", [_proposed, _rejected])
def test_case_list_skips_cases_of_unpublished_communities(client: Client, make: Any) -> None:
    _case(make(), title="Кейс скрытого сообщества")

    assert "Кейс скрытого сообщества" not in _html(client, "/cases/")


def test_case_list_escapes_hostile_titles_and_rules(client: Client) -> None:
    _case(new_community(), title="<script>alert(1)</script>", golden_rules=["<img src=x onerror=alert(1)>"])

    html = _html(client, "/cases/")

    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
