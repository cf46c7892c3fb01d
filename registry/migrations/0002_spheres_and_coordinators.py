from django.db import migrations

# code, name, English, colour, icon, synonyms people write on fair sheets
SPHERES = [
    ("territorial", "Территориальное, соседское (ТОС)", "Neighbourhood, TOS", "#1f77b4", "house",
     ["тос", "соседское", "соседи", "территориальное", "двор", "благоустройство", "благоустр", "улица", "дом", "мкд", "совет дома"]),
    ("initiative", "Инициативная группа", "Initiative group", "#ff7f0e", "lightbulb",
     ["инициативная группа", "инициатива", "иг", "инициативное бюджетирование", "ппми"]),
    ("ngo", "НКО", "NGO", "#2ca02c", "building",
     ["нко", "некоммерческая организация", "общественная организация", "ано", "роо", "фонд"]),
    ("interest", "По интересам", "Interest group", "#d62728", "star",
     ["по интересам", "хобби", "клуб", "творчество", "рукоделие", "чтение", "книжный клуб"]),
    ("professional", "Профессиональное", "Professional", "#9467bd", "briefcase",
     ["профессиональное", "педагоги", "учителя", "врачи", "медики", "библиотекари"]),
    ("business", "Предпринимательское", "Entrepreneurs", "#8c564b", "shop",
     ["предпринимательское", "бизнес", "предприниматели", "фермеры", "ремесленники", "самозанятые"]),
    ("science", "Научно-техническое", "Science and technology", "#e377c2", "flask",
     ["научно-техническое", "наука", "техническое", "робототехника", "it", "ит", "инженеры"]),
    ("volunteer", "Волонтёрское", "Volunteers", "#7f7f7f", "hand-holding-heart",
     ["волонтерское", "волонтеры", "добровольцы", "добровольческое", "помощь", "сво"]),
    ("youth", "Молодёжное", "Youth", "#bcbd22", "user-graduate",
     ["молодежное", "молодежь", "студенты", "школьники", "подростки"]),
    ("culture", "Культурное, национальное", "Culture and ethnicity", "#17becf", "masks-theater",
     ["культурное", "культура", "национальное", "этнокультура", "этнокультурное", "фольклор", "народное творчество", "краеведение"]),
    ("sport", "Спортивное", "Sport", "#393b79", "person-running",
     ["спортивное", "спорт", "зож", "физкультура", "туризм", "скандинавская ходьба"]),
    ("ecology", "Экологическое", "Environment", "#637939", "leaf",
     ["экологическое", "экология", "эко", "природа", "раздельный сбор", "озеленение"]),
    ("social", "Социальная поддержка", "Social support", "#8c6d31", "heart",
     ["социальная поддержка", "семья и детство", "семья", "многодетные", "пожилые", "старшее поколение", "инвалиды", "ветераны"]),
    ("council", "Общественный совет", "Public council", "#843c39", "users",
     ["общественный совет", "совет ветеранов", "совет старейшин", "женсовет", "совет женщин", "молодежный совет"]),
]
COORDINATOR_GROUP = "Координаторы программы"


def forwards(apps, schema_editor):
    Sphere = apps.get_model("registry", "Sphere")
    for position, (code, name, name_en, color, icon, synonyms) in enumerate(SPHERES, start=1):
        Sphere.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "color": color, "icon": icon, "synonyms": synonyms, "position": position},
        )
    apps.get_model("auth", "Group").objects.get_or_create(name=COORDINATOR_GROUP)


def backwards(apps, schema_editor):
    apps.get_model("registry", "Sphere").objects.filter(code__in=[row[0] for row in SPHERES]).delete()
    apps.get_model("auth", "Group").objects.filter(name=COORDINATOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunSQL(
            "CREATE INDEX community_location_geog ON registry_community USING gist ((location::geography));",
            reverse_sql="DROP INDEX community_location_geog;",
        ),
    ]
