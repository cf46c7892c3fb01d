"""GET /data/styles/{layer}.qml and .sld: a QGIS style and an OGC SLD 1.0 for each map layer of the
exports and the OGC API, drawn as the site's maps draw it (a community in its sphere's colour from
the Sphere table, a municipality as an outline, fairs by status, settlements as small dots).

The URLs are stable, so a saved QGIS project or a GeoServer layer can point at them; the field each
style reads is a column of the layer (api.layers), which a test holds against the layer itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from api.layers import SOURCES
from fairs.models import Fair
from registry.maps.builders import NO_SPHERE_COLOR
from registry.selectors.communities import sphere_list

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
OUTLINE_COLOR = "#08306b"  # the municipality outline of the site's maps (registry.maps.builders)
FAIR_COLORS = {Fair.Status.PLANNED: "#e07b00", Fair.Status.HELD: "#7a3e9d"}
SETTLEMENT_COLOR = "#555555"


@dataclass(frozen=True)
class StyleClass:
    value: str  # the value of the style's field this class draws; "" = every other value
    label: str
    color: str  # #rrggbb


@dataclass(frozen=True)
class LayerStyle:
    name: str  # the layer (api.layers.SOURCES)
    title: str
    symbol: str  # "marker" | "fill"
    field: str  # the column whose value picks the class; "" = one class for every feature
    classes: tuple[StyleClass, ...]
    label_field: str = ""  # the column written beside each feature
    size_mm: float = 2.6


def _color(value: str) -> str:
    return value if HEX_COLOR.match(value) else NO_SPHERE_COLOR


def layer_style(name: str) -> LayerStyle:
    """The style of one map layer; an unknown name is a KeyError."""
    title = str(SOURCES[name].layer.title)
    if name == "communities":
        spheres = tuple(
            StyleClass(sphere.code, sphere.name, _color(sphere.color)) for sphere in sphere_list()
        )
        return LayerStyle(
            name, title, "marker", "sphere", (*spheres, StyleClass("", _("без сферы"), NO_SPHERE_COLOR))
        )
    if name == "municipalities":
        return LayerStyle(
            name, title, "fill", "", (StyleClass("", title, OUTLINE_COLOR),), label_field="name"
        )
    if name == "fairs":
        statuses = tuple(
            StyleClass(status.value, str(status.label), FAIR_COLORS[status]) for status in Fair.Status
        )
        return LayerStyle(name, title, "marker", "status", statuses, size_mm=3.4)
    if name == "settlements":
        return LayerStyle(name, title, "marker", "", (StyleClass("", title, SETTLEMENT_COLOR),), size_mm=1.4)
    raise KeyError(name)


STYLED_LAYERS = ("communities", "municipalities", "fairs", "settlements")


def _rgba(color: str) -> str:
    return ",".join(str(int(color[index : index + 2], 16)) for index in (1, 3, 5)) + ",255"


def _qml_layer(parent: ET.Element, symbol_class: str, properties: dict[str, str]) -> None:
    # QGIS 3.22 writes (and reads) both the Option map and the older prop list: so do we.
    layer = ET.SubElement(
        parent, "layer", {"class": symbol_class, "enabled": "1", "locked": "0", "pass": "0"}
    )
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in properties.items():
        ET.SubElement(options, "Option", {"name": key, "type": "QString", "value": value})
    for key, value in properties.items():
        ET.SubElement(layer, "prop", {"k": key, "v": value})


def _qml_symbol(parent: ET.Element, *, index: int, style: LayerStyle, color: str) -> None:
    symbol = ET.SubElement(
        parent,
        "symbol",
        {"name": str(index), "type": style.symbol, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    if style.symbol == "fill":
        _qml_layer(symbol, "SimpleFill", {
            "color": "0,0,0,0", "style": "no", "outline_color": _rgba(color), "outline_style": "solid",
            "outline_width": "0.5", "outline_width_unit": "MM", "joinstyle": "round",
        })  # fmt: skip
    else:
        _qml_layer(symbol, "SimpleMarker", {
            "name": "circle", "color": _rgba(color), "outline_color": "255,255,255,255",
            "outline_style": "solid", "outline_width": "0.3", "outline_width_unit": "MM",
            "size": str(style.size_mm), "size_unit": "MM",
        })  # fmt: skip


def style_qml(style: LayerStyle) -> bytes:
    """A QGIS layer style (Layer Properties → Style → Load Style…), QGIS 3.22 and newer."""
    root = ET.Element(
        "qgis",
        {
            "version": "3.22.0",
            "styleCategories": "Symbology|Labeling",
            "labelsEnabled": "1" if style.label_field else "0",
        },
    )
    if style.field:
        renderer = ET.SubElement(root, "renderer-v2", {
            "type": "categorizedSymbol", "attr": style.field, "forceraster": "0", "symbollevels": "0",
            "enableorderby": "0",
        })  # fmt: skip
        categories = ET.SubElement(renderer, "categories")
        for index, item in enumerate(style.classes):
            ET.SubElement(categories, "category", {
                "render": "true", "symbol": str(index), "value": item.value, "label": item.label, "type": "string",
            })  # fmt: skip
    else:
        renderer = ET.SubElement(root, "renderer-v2", {
            "type": "singleSymbol", "forceraster": "0", "symbollevels": "0", "enableorderby": "0",
        })  # fmt: skip
    symbols = ET.SubElement(renderer, "symbols")
    for index, item in enumerate(style.classes):
        _qml_symbol(symbols, index=index, style=style, color=item.color)
    if style.label_field:
        labeling = ET.SubElement(root, "labeling", {"type": "simple"})
        settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
        text = ET.SubElement(settings, "text-style", {
            "fieldName": style.label_field, "isExpression": "0", "fontSize": "8", "fontSizeUnit": "Point",
            "textColor": _rgba(style.classes[0].color), "textOpacity": "1",
        })  # fmt: skip
        ET.SubElement(text, "text-buffer", {
            "bufferDraw": "1", "bufferSize": "0.8", "bufferSizeUnits": "MM", "bufferColor": "255,255,255,255",
            "bufferOpacity": "1",
        })  # fmt: skip
        ET.SubElement(settings, "placement", {"placement": "1" if style.symbol == "fill" else "0"})
    ET.SubElement(root, "layerGeometryType").text = "2" if style.symbol == "fill" else "0"
    ET.indent(root)
    return b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="utf-8"
    )


SLD = "http://www.opengis.net/sld"
OGC = "http://www.opengis.net/ogc"
ET.register_namespace("sld", SLD)
ET.register_namespace("ogc", OGC)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")


def _sld(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{SLD}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _css(parent: ET.Element, name: str, value: str) -> None:
    _sld(parent, "CssParameter", value, name=name)


def _sld_symbolizer(rule: ET.Element, *, style: LayerStyle, color: str) -> None:
    if style.symbol == "fill":
        stroke = _sld(_sld(rule, "PolygonSymbolizer"), "Stroke")
        _css(stroke, "stroke", color)
        _css(stroke, "stroke-width", "1.5")
        return
    graphic = _sld(_sld(rule, "PointSymbolizer"), "Graphic")
    mark = _sld(graphic, "Mark")
    _sld(mark, "WellKnownName", "circle")
    _css(_sld(mark, "Fill"), "fill", color)
    stroke = _sld(mark, "Stroke")
    _css(stroke, "stroke", "#ffffff")
    _css(stroke, "stroke-width", "1")
    _sld(graphic, "Size", str(round(style.size_mm * 3.78)))  # millimetres to pixels at 96 dpi


def style_sld(style: LayerStyle) -> bytes:
    """An OGC Styled Layer Descriptor 1.0.0 (GeoServer, MapServer, QGIS «Load Style → SLD»)."""
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", {
        "version": "1.0.0",
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation":
            f"{SLD} http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd",
    })  # fmt: skip
    layer = _sld(root, "NamedLayer")
    _sld(layer, "Name", style.name)
    user_style = _sld(layer, "UserStyle")
    _sld(user_style, "Name", style.name)
    _sld(user_style, "Title", style.title)
    feature_type = _sld(user_style, "FeatureTypeStyle")
    for item in style.classes:
        rule = _sld(feature_type, "Rule")
        _sld(rule, "Name", item.value or "other")
        _sld(rule, "Title", item.label)
        if style.field and item.value:
            equal = ET.SubElement(ET.SubElement(rule, f"{{{OGC}}}Filter"), f"{{{OGC}}}PropertyIsEqualTo")
            ET.SubElement(equal, f"{{{OGC}}}PropertyName").text = style.field
            ET.SubElement(equal, f"{{{OGC}}}Literal").text = item.value
        elif style.field:
            _sld(rule, "ElseFilter")
        _sld_symbolizer(rule, style=style, color=item.color)
    if style.label_field:
        rule = _sld(feature_type, "Rule")
        _sld(rule, "Name", "label")
        text = _sld(rule, "TextSymbolizer")
        ET.SubElement(_sld(text, "Label"), f"{{{OGC}}}PropertyName").text = style.label_field
        _css(_sld(text, "Font"), "font-size", "11")
        halo = _sld(text, "Halo")
        _sld(halo, "Radius", "1.5")
        _css(_sld(halo, "Fill"), "fill", "#ffffff")
        _css(_sld(text, "Fill"), "fill", style.classes[0].color)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


FORMATS = {
    "qml": (style_qml, "application/xml; charset=utf-8"),
    "sld": (style_sld, "application/vnd.ogc.sld+xml; charset=utf-8"),
}


@require_safe
def style_view(request: HttpRequest, layer: str, fmt: str) -> HttpResponse:
    if layer not in STYLED_LAYERS or fmt not in FORMATS:
        raise Http404
    write, content_type = FORMATS[fmt]
    response = HttpResponse(write(layer_style(layer)), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{layer}.{fmt}"'
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
