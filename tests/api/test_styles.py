"""GET /data/styles/{layer}.qml and .sld: well-formed XML that names the layer and draws by its real
fields (the same names in every export format), communities in their sphere's colour from the
Sphere table, and listed on the Open data page."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from defusedxml import ElementTree as SafeET
from django.test import Client

from api.layers import SOURCES
from api.styles import STYLED_LAYERS
from registry.models import Sphere

pytestmark = pytest.mark.django_db
SLD = "{http://www.opengis.net/sld}"
OGC = "{http://www.opengis.net/ogc}"


def _xml(client: Client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("charset=utf-8")
    return SafeET.fromstring(response.content)


def _assert_real_fields(layer: str, fields: set[str]) -> None:
    columns = {column.name: column for column in SOURCES[layer].layer.visible_columns(team=False)}
    assert fields <= set(columns), fields - set(columns)
    # the Shapefile's names too (10 characters): the style works on every downloaded file
    assert all(columns[field].shapefile_name == field for field in fields)


@pytest.mark.parametrize("layer", STYLED_LAYERS)
def test_qml_parses_and_reads_the_layers_real_fields(client: Client, layer: str) -> None:
    root = _xml(client, f"/data/styles/{layer}.qml")

    assert root.tag == "qgis"
    renderer = root.find("renderer-v2")
    assert renderer is not None
    symbols = renderer.findall("symbols/symbol")
    assert symbols
    assert {symbol.get("type") for symbol in symbols} == {
        "fill" if SOURCES[layer].layer.geometry_type == "MultiPolygon" else "marker"
    }
    fields = {renderer.get("attr", "")} - {""}
    fields |= {style.get("fieldName", "") for style in root.iterfind("labeling/settings/text-style")}
    _assert_real_fields(layer, fields)
    assert (layer in ("communities", "fairs")) == (renderer.get("type") == "categorizedSymbol")


@pytest.mark.parametrize("layer", STYLED_LAYERS)
def test_sld_parses_names_the_layer_and_reads_its_real_fields(client: Client, layer: str) -> None:
    root = _xml(client, f"/data/styles/{layer}.sld")

    assert root.tag == f"{SLD}StyledLayerDescriptor"
    assert root.get("version") == "1.0.0"
    assert root.findtext(f"{SLD}NamedLayer/{SLD}Name") == layer
    rules = root.findall(f".//{SLD}Rule")
    assert rules
    _assert_real_fields(layer, {name.text or "" for name in root.iter(f"{OGC}PropertyName")})


def test_communities_take_their_spheres_colours_from_the_table(client: Client) -> None:
    Sphere.objects.create(code="beekeeping", name="Пчеловодство «Липа»", color="#123456")

    qml = _xml(client, "/data/styles/communities.qml")
    sld = _xml(client, "/data/styles/communities.sld")

    categories = {item.get("value"): item for item in qml.iterfind("renderer-v2/categories/category")}
    assert set(categories) == {*Sphere.objects.values_list("code", flat=True), ""}  # "" = the rest
    bee = categories["beekeeping"]
    assert bee.get("label") == "Пчеловодство «Липа»"
    symbol = qml.find(f"renderer-v2/symbols/symbol[@name='{bee.get('symbol')}']")
    assert symbol is not None
    assert symbol.find("layer/prop[@k='color']").get("v") == "18,52,86,255"  # type: ignore[union-attr]
    rule = next(rule for rule in sld.iter(f"{SLD}Rule") if rule.findtext(f".//{OGC}Literal") == "beekeeping")
    assert rule.findtext(f".//{SLD}Fill/{SLD}CssParameter[@name='fill']") == "#123456"
    assert sld.find(f".//{SLD}ElseFilter") is not None


def test_a_table_or_an_unknown_layer_has_no_style(client: Client) -> None:
    assert client.get("/data/styles/rural_municipalities.qml").status_code == 404
    assert client.get("/data/styles/leaders.sld").status_code == 404
    assert client.get("/data/styles/communities.lyrx").status_code == 404


def test_the_open_data_page_lists_every_style_beside_the_tiles(client: Client) -> None:
    page = client.get("/data/").content.decode()

    assert 'href="/tiles/communities.json"' in page
    for layer in STYLED_LAYERS:
        for fmt in ("qml", "sld"):
            assert f'href="/data/styles/{layer}.{fmt}"' in page
    assert "/data/styles/rural_municipalities" not in page
