from django.db import migrations


class Migration(migrations.Migration):
    """Geodesic distance queries cast to geography; index the cast so they stay indexed."""

    dependencies = [("geo", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX municipality_boundary_geog ON geo_municipality USING gist ((boundary::geography));"
            "CREATE INDEX settlement_point_geog ON geo_settlement USING gist ((point::geography));",
            reverse_sql="DROP INDEX municipality_boundary_geog; DROP INDEX settlement_point_geog;",
        )
    ]
