"""Three sign-up sheets in the styles real people send, with ground truth (tests/fairs/test_intake_styles.py).

Run ``python tests/data/signups/styles/make_styles.py`` to rewrite the files next to this script:

* ``volunteer.xlsx`` — a fair volunteer's workbook: a title row and a date row above the header,
  «№ п/п», odd headers («Название объединения», «ФИО руководителя», «Телефон руководителя»,
  «Эл. адрес», «Кол-во участников», «Согласие на обработку ПД»), consent as «+», «✓», «да»;
* ``online_form.csv`` — an online-form export (UTF-8, commas): a timestamp first, whole questions
  as headers, answers typed by the people themselves (lower case, no settlement type, «Да, согласен»);
* ``village_cp1251.csv`` — a village administration's sheet in Windows-1251 with `;`: a title row,
  combined columns «Сообщество (населённый пункт)» and «Руководитель, телефон».

Each is imported into the registry of ``../registry.json``. ``*.truth.json`` say what a careful person
decides for every data row (the row numbers a person sees). Names are written the ways people write
them — abbreviations both ways, the type in brackets at the end, the village inside the name, quotes
dropped or changed, words reordered — decided here from how each row was written, never from what the
import does.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def row(
    name: str,
    place: str,
    sphere: str = "",
    leader: str = "",
    phone: str = "",
    email: str = "",
    members: str = "",
    consent: str = "",
    *,
    kind: str = "new",
    registry: str | None = None,
    duplicate_of: str | None = None,
    look_alike: str | None = None,
    invalid: tuple[str, ...] = (),
    settlement: str | None = None,
    label: str = "",
    outside: bool = False,
) -> dict[str, Any]:
    return {
        "name": name, "place": place, "sphere": sphere, "leader": leader, "phone": phone, "email": email,
        "members": members, "consent": consent, "kind": kind, "registry": registry,
        "duplicate_of": duplicate_of, "look_alike": look_alike, "invalid": list(invalid),
        "settlement": settlement, "label": label, "outside": outside,
    }  # fmt: skip


# A fair volunteer in Иглинский район: the registry's communities spelled their own way, new ones.
VOLUNTEER = [
    row("ТОС Рассвет с. Иглино", "с. Иглино", "ТОС", "Шайхутдинова Р.Р.", "8 917 400-11-22", "", "35", "+",
        kind="existing", registry="tos-rassvet-iglino", settlement="Иглино"),
    row("Рябинушка (народный хор)", "с. Улу-Теляк", "культура", "Лаптева Нина Ивановна", "89174001123", "", "18", "✓",
        kind="existing", registry="khor-ryabinushka-ulu-telyak", settlement="Улу-Теляк"),
    row("ФК Урожай", "с. Тавтиманово", "спорт", "Галиев Ильдар", "89174001124", "", "22", "да",
        kind="existing", registry="fk-urozhai-tavtimanovo", settlement="Тавтиманово"),
    row("Совет ветеранов", "с. Кудеевский", "совет ветеранов", "Попова А.А.", "89174001125", "", "15", "+",
        kind="existing", registry="sovet-veteranov-kudeevsky", look_alike="sovet-veteranov-iglino", settlement="Кудеевский"),
    row("Волонтёры Победы", "с. Иглино", "волонтёрство", "Сафина Алина Маратовна", "89174001126", "safina@example.org", "40", "+",
        label="pobeda", settlement="Иглино"),
    row("КФХ «Гарипов и сыновья»", "д. Шакша", "сельское хозяйство", "Гарипов Ринат", "89174001127", "", "6", "да",
        settlement="Шакша"),
    row("Юнармейский отряд «Патриот»", "с. Кальтовка", "патриотическое воспитание", "Зайцев О.П.", "89174001128", "", "25", "✓",
        label="patriot", settlement="Кальтовка"),
    row("Клуб «Звездочёт»", "с. Урман", "астрономия", "Лукин Павел", "89174001129", "", "9", "+",
        settlement="Урман"),
    row("Добрые сердца (волонтерский отряд)", "с. Иглино", "волонтеры", "Хасанова Лилия", "89174001130", "", "30", "да",
        kind="existing", registry="dobrye-serdtsa-iglino", look_alike="dobrye-serdtsa-ufa", settlement="Иглино"),
    row("Ансамбль «Ляйсан»", "с. Кальтовка", "фольклор", "Ахмадуллина Г.", "89174001131", "", "12", "+",
        kind="existing", registry="laisan-kaltovka", settlement="Кальтовка"),
    row("Волонтеры Победы", "Иглино", "волонтёрство", "Сафина Алина Маратовна", "89174001126", "", "40", "+",
        kind="duplicate", duplicate_of="pobeda", settlement="Иглино"),
    row("Спортклуб «Олимп»", "с. Иглино", "спорт", "Ибрагимов Т.", "8-917-12", "", "50", "+",
        kind="invalid", invalid=("phone",)),
    row("Совет матерей", "с. Иглино", "семья", "Мухаметова Д.", "89174001133", "", "11", "",
        settlement="Иглино"),
    row("Совет отцов", "с. Иглино", "семья", "Мухаметов Р.", "89174001134", "", "9", "нет",
        settlement="Иглино"),
    row("Родник", "с. Улу-Теляк", "благоустройство", "Хабибуллин Рустем Николаевич", "89625036300", "", "25", "+",
        kind="existing", registry="tos-rodnik-ulu-telyak", look_alike="tos-rodnik-iglino", settlement="Улу-Теляк"),
    row("Шахматный клуб «Ладья»", "с. Иглино", "шахматы", "Сидоров В.В.", "89174001136", "", "14", "да",
        kind="existing", registry="ladya-iglino", settlement="Иглино"),
    row("Клуб предпринимателей «Своё дело»", "с. Иглино", "предпринимательство", "Котова Е.", "89174001137", "", "20", "+",
        settlement="Иглино"),
    row("Соц. поддержка пожилых «Забота»", "с. Акбердино", "соц. поддержка", "Власова Ирина", "89174001138", "", "8", "+",
        settlement="Акбердино"),
    row("Патриот (юнармия)", "Кальтовка", "патриотическое воспитание", "Зайцев О.П.", "89174001128", "", "25", "+",
        kind="duplicate", duplicate_of="patriot", settlement="Кальтовка"),
    row("ТОС «Молодёжный»", "с. Иглино", "тос", "Кириллов А.", "89174001140", "", "70", "+",
        kind="existing", registry="tos-molodezhny-iglino", settlement="Иглино"),
    row("Экодвижение Чистый берег", "с. Урман", "экология", "Носова Н.", "89174001141", "", "16", "✓",
        kind="existing", registry="chisty-bereg-urman", settlement="Урман"),
    row("ТОС «Весна»", "с. Языково", "ТОС", "Яковлев Д.", "89174001142", "", "10", "+",
        settlement=None, outside=True),
]  # fmt: skip

# People filling in an online form themselves.
ONLINE = [
    row("тос родник", "иглино", "ТОС", "Ирина Шарипова", "+79175800787", "", "40", "Да, согласна",
        kind="existing", registry="tos-rodnik-iglino", look_alike="tos-rodnik-ulu-telyak", settlement="Иглино"),
    row("Клуб молодых семей Семь-Я", "Иглино", "семьи с детьми", "Анна Кузнецова", "89175001001", "anna@example.org", "26", "Да",
        kind="existing", registry="sem-ya-iglino", settlement="Иглино"),
    row("Книжный клуб Открытая книга", "с Иглино", "чтение", "Мария Орлова", "89175001002", "", "12", "Да",
        kind="existing", registry="otkrytaya-kniga-iglino", settlement="Иглино"),
    row("Бодрость", "Иглино", "скандинавская ходьба", "Валентина Петрова", "89175001003", "", "30", "да",
        kind="existing", registry="skandi-bodrost-iglino", settlement="Иглино"),
    row("Мастерицы Кудеевки", "Кудеевский", "рукоделие", "Ольга Смирнова", "89175001004", "", "10", "Да",
        kind="existing", registry="masteritsa-kudeevsky", settlement="Кудеевский"),
    row("Пчеловоды Ауструма Медовый край", "Ауструм", "пчеловодство", "Фарид Юсупов", "89175001005", "", "7", "Да",
        kind="existing", registry="med-krai-austrum", settlement="Ауструм"),
    row("IT клуб Байт", "Иглино", "программирование", "Артём Лебедев", "89175001006", "artem@example.org", "15", "Да, согласен",
        settlement="Иглино"),
    row("Танцевальный коллектив Радуга", "Балтика", "танцы", "Елена Морозова", "89175001007", "", "20", "Нет",
        settlement="Балтика"),
    row("Краеведы Истоки", "Иглино", "краеведение", "Павел Гусев", "89175001008", "", "9", "Да",
        kind="existing", registry="istoki-iglino", settlement="Иглино"),
    row("Мастерицы Кудеевки", "с. Кудеевский", "рукоделие", "Ольга Смирнова", "89175001004", "", "10", "Да",
        kind="existing", registry="masteritsa-kudeevsky", settlement="Кудеевский"),
    row("Поисковый отряд Память", "иглино", "поисковое", "Денис Орлов", "89175001010", "denis@", "18", "Да",
        kind="invalid", invalid=("email",)),
    row("Серебряный возраст", "Иглино", "пожилые", "Нина Васильева", "89175001011", "", "35", "Да",
        kind="existing", registry="serebryany-vozrast-iglino", settlement="Иглино"),
    row("Зелёный патруль", "Кудеевский", "экология", "Игорь Белов", "89175001012", "", "14", "Да",
        kind="existing", registry="zeleny-patrul-kudeevsky", settlement="Кудеевский"),
    row("Вокальная студия Соловушка", "Урман", "вокал", "Светлана Ким", "89175001013", "", "11", "Да",
        settlement="Урман"),
    row("Совет старейшин Улу-Теляка", "Улу-Теляк", "общественный совет", "Рим Газизов", "89175001014", "", "7", "Да",
        kind="existing", registry="sovet-stareishin-ulu-telyak", settlement="Улу-Теляк"),
    row("Молодёжный клуб Импульс", "Улу-Теляк", "молодёжь", "Кирилл Панов", "89175001015", "", "25", "Да",
        kind="existing", registry="impuls-ulu-telyak", settlement="Улу-Теляк"),
]  # fmt: skip

# A village administration's list (Кудеевский сельсовет and neighbours), combined columns.
VILLAGE = [
    row("ТОС Берёзка", "с. Кудеевский", "ТОС", "Белова Т.Н.", "89176002001", "", "", "да",
        kind="existing", registry="tos-beryozka-kudeevsky", settlement="Кудеевский"),
    row("Клуб рукоделия Мастерица", "с. Кудеевский", "по интересам", "Осипова Л.", "89176002002", "", "", "да",
        kind="existing", registry="masteritsa-kudeevsky", settlement="Кудеевский"),
    row("Активное долголетие", "с. Кудеевский", "пожилые", "Фомина В.", "89176002003", "", "", "да",
        kind="existing", registry="aktivnoe-dolgoletie-kudeevsky", settlement="Кудеевский"),
    row("Совет ветеранов", "с. Кудеевский", "совет ветеранов", "Попов И.И.", "89176002004", "", "", "да",
        kind="existing", registry="sovet-veteranov-kudeevsky", look_alike="sovet-veteranov-iglino", settlement="Кудеевский"),
    row("ДПД", "с. Калтыманово", "добровольцы", "Шамсутдинов А.", "89176002005", "", "", "да",
        kind="existing", registry="dpd-kalty-manovo", settlement="Калтыманово"),
    row("ТОС Надежда", "с. Тавтиманово", "ТОС", "Гайнуллина Р.", "89176002006", "", "", "да",
        kind="existing", registry="tos-nadezhda-tavtimanovo", settlement="Тавтиманово"),
    row("Женсовет", "с. Тавтиманово", "женсовет", "Сабирова Ф.", "89176002007", "", "", "да",
        kind="existing", registry="zhensovet-tavtimanovo", settlement="Тавтиманово"),
    row("Ансамбль ложкарей Весёлые ложки", "с. Старокубово", "народное творчество", "Кузьмин П.", "89176002008", "", "", "да",
        kind="existing", registry="vesyolye-lozhki-starokubovo", settlement="Старокубово"),
    row("Клуб Родничок", "с. Кудеевский", "дети", "Лаврова М.", "89176002009", "", "", "да",
        label="rodnichok", settlement="Кудеевский"),
    row("Общество садоводов Урожайный", "д. Мончазы", "садоводство", "Ершов С.", "89176002010", "", "", "да",
        settlement="Мончазы"),
    row("Клуб Родничок", "Кудеевский", "дети", "Лаврова М.", "89176002009", "", "", "да",
        kind="duplicate", duplicate_of="rodnichok", settlement="Кудеевский"),
    row("ТОС Луч", "с. Нижние Лемезы", "ТОС", "Рахимов Б.", "89176002012", "", "", "да",
        kind="existing", registry="tos-luch-nizhnie-lemezy", settlement="Нижние Лемезы"),
    row("Хоккейная команда Метеор", "с. Кудеевский", "хоккей", "Тимофеев Г.", "891760", "", "", "да",
        kind="invalid", invalid=("phone",)),
    row("ТОС Дружба", "с. Турбаслы", "ТОС", "Валиев Р.", "89176002014", "", "", "да",
        kind="existing", registry="tos-druzhba-turbasly", look_alike="tos-druzhba-chuvash-kubovo", settlement="Турбаслы"),
    row("Народный театр Маска", "с. Кудеевский", "театр", "Лебедева О.", "89176002015", "", "", "нет",
        settlement="Кудеевский"),
]  # fmt: skip


def _truth(rows: list[dict[str, Any]], first_row: int) -> list[dict[str, Any]]:
    numbers = {item["label"]: number for number, item in enumerate(rows, start=first_row) if item["label"]}
    return [
        {
            "row": number,
            "kind": item["kind"],
            "registry_key": item["registry"],
            "duplicate_of_row": numbers[item["duplicate_of"]] if item["duplicate_of"] else None,
            "look_alike_key": item["look_alike"],
            "invalid_fields": item["invalid"],
            "variant": "outside_district" if item["outside"] else item["kind"],
            "settlement": item["settlement"],
            "leader": item["leader"] if item["consent"].lower().startswith(("да", "+", "✓")) else "",
            "phone": item["phone"] if item["consent"].lower().startswith(("да", "+", "✓")) else "",
        }
        for number, item in enumerate(rows, start=first_row)
    ]


def _volunteer() -> tuple[bytes, list[dict[str, Any]]]:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ярмарка сообществ Иглинского района"])
    sheet.append(["15 июня 2026 г., РДК с. Иглино"])
    sheet.append([])
    sheet.append(["№ п/п", "Название объединения", "Направление деятельности", "Нас. пункт", "ФИО руководителя",
                  "Телефон руководителя", "Эл. адрес", "Кол-во участников", "Согласие на обработку ПД"])  # fmt: skip
    for number, item in enumerate(VOLUNTEER, start=1):
        sheet.append([number, item["name"], item["sphere"], item["place"], item["leader"], item["phone"],
                      item["email"], int(item["members"]) if item["members"].isdigit() else item["members"],
                      item["consent"]])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), _truth(VOLUNTEER, 5)


def _online() -> tuple[bytes, list[dict[str, Any]]]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Отметка времени", "Как называется ваше сообщество?",
                     "В каком населённом пункте действует сообщество?", "Чем занимается сообщество?",
                     "Ваше имя и фамилия", "Телефон для связи", "Адрес электронной почты",
                     "Сколько человек в сообществе?",
                     "Даёте ли вы согласие на обработку персональных данных?"])  # fmt: skip
    for minute, item in enumerate(ONLINE):
        writer.writerow([f"15.06.2026 10:{minute:02d}:00", item["name"], item["place"], item["sphere"],
                         item["leader"], item["phone"], item["email"], item["members"], item["consent"]])  # fmt: skip
    return out.getvalue().encode("utf-8"), _truth(ONLINE, 2)


def _village() -> tuple[bytes, list[dict[str, Any]]]:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Список общественных объединений сельского поселения Кудеевский сельсовет", "", "", ""])
    writer.writerow(["Сообщество (населённый пункт)", "Сфера", "Руководитель, телефон", "Согласие"])
    for item in VILLAGE:
        writer.writerow([f"{item['name']} ({item['place']})", item["sphere"],
                         f"{item['leader']}, {item['phone']}", item["consent"]])  # fmt: skip
    return out.getvalue().encode("cp1251"), _truth(VILLAGE, 3)


def build() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name, maker in (
        ("volunteer.xlsx", _volunteer),
        ("online_form.csv", _online),
        ("village_cp1251.csv", _village),
    ):
        data, truth = maker()
        files[name] = data
        files[name.rsplit(".", 1)[0] + ".truth.json"] = (
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
        ).encode()
    return files


if __name__ == "__main__":
    for file_name, content in build().items():
        (HERE / file_name).write_bytes(content)
