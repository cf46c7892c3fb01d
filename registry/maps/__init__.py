"""Community maps, rendered with folium on our own copy of Leaflet (see registry/maps/render.py).

Three maps: the region choropleth (region_map), a municipality's communities (municipality_map) and
one community (community_map). Each is built once per data version and cached (cache.py)."""
