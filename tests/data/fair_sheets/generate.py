"""Writes the labelled fair sheet used to score the import (python tests/data/fair_sheets/generate.py).

Deterministic (a fixed seed, no database, no network): registry.json (the communities already in the
registry of Иглинский район), sheet.csv (UTF-8 with BOM, ";"), sheet_cp1251.csv (cp1251, ";"),
sheet.xlsx, and truth.json — for every spreadsheet row (header = row 1) what a careful person would
decide: an existing registry community, a new one, a repeat of an earlier row, or an invalid row.

The rows are what volunteers type from paper: registry communities written ten ways (quotes, case,
ё/е, spaces, ТОС spelled out, «с.»/«д.» before the village, phones in any format), new communities,
the same new community typed twice, look-alikes that must stay apart (the same name in another
village; «Совет ветеранов» beside «Клуб ветеранов»), invalid cells, and hostile text."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SEED = 20261123
HEADER = ["Название сообщества", " сфера ", "Населённый пункт", "ФИО лидера", "Телефон", "E-mail",
          "Численность", "Год создания", "Согласие на обработку", "Комментарий"]  # fmt: skip

# Villages of Иглинский район that the gazetteer knows (type, name).
VILLAGES = [
    ("с", "Иглино"), ("с", "Улу-Теляк"), ("с", "Урман"), ("с", "Кудеевский"), ("с", "Акбердино"),
    ("с", "Балтика"), ("с", "Казаяк"), ("с", "Кальтовка"), ("с", "Карамалы"), ("с", "Кляшево"),
    ("с", "Майский"), ("с", "Манагора"), ("с", "Охлебинино"), ("с", "Тавтиманово"), ("с", "Турбаслы"),
    ("д", "Авангард"), ("д", "Лемеза"), ("д", "Шакша"), ("д", "Урунда"), ("д", "Михайловка"),
]  # fmt: skip
SPHERE_WRITTEN = {
    "territorial": ["ТОС", "благоустройство", "благоустр."], "culture": ["культура", "Культура", "этнокультура"],
    "sport": ["спорт", "Спорт"], "volunteer": ["волонтёры", "добровольцы"], "ecology": ["экология"],
    "youth": ["молодёжь"], "social": ["семья и детство", "семья", "пожилые"],
    "council": ["совет ветеранов", "общественный совет"], "interest": ["по интересам", "хобби", "клуб"],
}  # fmt: skip
# (key, name, sphere, village index, leader, phone) — the registry before the fair.
REGISTRY = [
    ("rodnik_iglino", "ТОС «Родник»", "territorial", 0, "Гарипова Алсу Ринатовна", "+79173456701"),
    ("rodnik_teljak", "ТОС «Родник»", "territorial", 1, "", ""),
    ("veterans_club", "Клуб ветеранов «Рябинушка»", "council", 0, "Петров Пётр Ильич", "+79173456702"),
    ("veterans_council", "Совет ветеранов села Урман", "council", 2, "", ""),
    ("yolka", "Ансамбль «Ёлочка»", "culture", 3, "Семёнова Ольга", ""),
    ("berezka", "Хор «Берёзка»", "culture", 4, "", "+79173456703"),
    ("sokol", "Спортивный клуб «Сокол»", "sport", 5, "Ахметов Ринат", "+79173456704"),
    ("chistyj_bereg", "Эко-отряд «Чистый берег»", "ecology", 6, "", ""),
    ("molodost", "Молодёжный совет «Молодость»", "youth", 7, "Кузнецова Дарья", "+79173456705"),
    ("mamy", "Клуб молодых мам «Колыбель»", "social", 8, "", ""),
    ("dobro", "Волонтёрский отряд «Добро»", "volunteer", 9, "Ильина Марина", "+79173456706"),
    ("zarya", "ТОС «Заря»", "territorial", 10, "", "+79173456707"),
    ("vstrecha", "Клуб «Встреча»", "interest", 11, "", ""),
    ("kurai", "Ансамбль кураистов «Курай»", "culture", 12, "Хасанов Ильдар", ""),
    ("rodniki_ulica", "ТОС «Улица Родниковая»", "territorial", 13, "", ""),
    ("shashki", "Шашечный клуб «Дамка»", "interest", 14, "", ""),
    ("lyzhi", "Лыжный клуб «Лыжня»", "sport", 15, "Смирнов Андрей", "+79173456708"),
    ("pchely", "Клуб пчеловодов «Медок»", "interest", 16, "", ""),
    ("rukodelie", "Клуб рукоделия «Мастерица»", "culture", 17, "Галиева Зульфия", ""),
    ("ogorod", "ТОС «Сад и огород»", "territorial", 18, "", ""),
    ("teatr", "Народный театр «Маска»", "culture", 0, "Орлова Нина", "+79173456709"),
    ("tanec", "Танцевальный коллектив «Радуга»", "culture", 1, "", ""),
    ("velo", "Велоклуб «Вираж»", "sport", 0, "", ""),
    ("poisk", "Поисковый отряд «Память»", "volunteer", 2, "Никитин Олег", ""),
    ("rodniki_eco", "Экоклуб «Родники»", "ecology", 3, "", ""),
    ("kraeved", "Краеведческий кружок «Истоки»", "culture", 4, "", ""),
    ("shahmaty", "Шахматный клуб «Ладья»", "interest", 0, "", "+79173456710"),
    ("babushki", "Клуб «Бабушкины сказки»", "social", 5, "", ""),
    ("futbol", "Футбольная команда «Урожай»", "sport", 6, "", ""),
    ("sovet_doma", "Совет многоквартирного дома № 5", "territorial", 0, "Егорова Вера", "+79173456711"),
]
NEW = [
    ("Клуб любителей рыбалки «Поплавок»", "interest"), ("ТОС «Солнечный»", "territorial"),
    ("Хор ветеранов «Сударушка»", "council"), ("Молодёжный клуб «Старт»", "youth"),
    ("Клуб скандинавской ходьбы «Шаг»", "sport"), ("Волонтёры «Лапа помощи»", "volunteer"),
    ("Семейный клуб «Очаг»", "social"), ("Экологический отряд «Зелёный патруль»", "ecology"),
    ("Клуб настольных игр «Кубик»", "interest"), ("Кружок вышивки «Узор»", "culture"),
    ("Ансамбль «Ак тирмэ»", "culture"), ("ТОС «Луговая улица»", "territorial"),
    ("Клуб «Активное долголетие»", "council"), ("Секция самбо «Барс»", "sport"),
    ("Фотоклуб «Кадр»", "interest"), ("Клуб садоводов «Яблонька»", "interest"),
    ("Отряд ЮИД «Светофор»", "youth"), ("Клуб «Мамина школа»", "social"),
    ("Общество охотников «Беркут»", "interest"), ("Литературный клуб «Строка»", "culture"),
    ("Клуб исторической реконструкции «Булат»", "interest"), ("Совет молодёжи села", "youth"),
    ("Клуб «Здоровье»", "sport"), ("Кружок «Умелые руки»", "culture"),
    ("ТОС «Берёзовая роща»", "territorial"), ("Клуб собаководов «Верный друг»", "interest"),
    ("Шахматный кружок «Гамбит»", "interest"), ("Хор «Родные напевы»", "culture"),
    ("Отряд «Добрые сердца»", "volunteer"), ("Клуб «Серебряный возраст»", "council"),
    ("Инициативная группа «Наш парк»", "territorial"), ("Клуб «Книгочей»", "culture"),
    ("Бардовский клуб «Струна»", "culture"), ("Клуб моржей «Прорубь»", "sport"),
    ("Экоклуб «Живая вода»", "ecology"),
]  # fmt: skip
SURNAMES = ["Иванова", "Смирнов", "Кузнецова", "Попов", "Хабибуллина", "Сафин", "Юсупова", "Гарифуллин",
            "Морозова", "Волков", "Лебедева", "Зайцев", "Валиева", "Шарипов", "Фёдорова"]  # fmt: skip
GIVEN = ["Анна", "Игорь", "Лилия", "Марат", "Елена", "Айдар", "Светлана", "Рустам", "Гульнара", "Сергей"]


def _phone_written(phone: str, rng: random.Random) -> str:
    digits = phone[2:]  # 10 digits after +7
    shapes = [
        f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}",
        f"+7{digits}",
        f"8{digits}",
        f"{digits[:3]}-{digits[3:6]}-{digits[6:8]}-{digits[8:]}",
        f"+7 {digits[:3]} {digits[3:6]} {digits[6:]}",
    ]
    return rng.choice(shapes)


def _village_written(index: int, rng: random.Random) -> str:
    kind, name = VILLAGES[index]
    return rng.choice([name, f"{kind}. {name}", f"{kind}.{name}", name.upper(), f" {name} ", name.lower(),
                       f"{'село' if kind == 'с' else 'деревня'} {name}"])  # fmt: skip


def _name_written(name: str, way: int) -> str:
    """One of ten ways a volunteer writes a community's name."""
    inner = name.split("«", 1)[1].rstrip("»") if "«" in name else None
    head = name.split("«", 1)[0].strip() if inner else name
    ways = [
        lambda: name,
        lambda: f'{head} "{inner}"' if inner else name.upper(),
        lambda: f"{head} „{inner}“" if inner else name.lower(),
        lambda: f"{head} {inner}" if inner else name,
        lambda: name.upper(),
        lambda: name.lower(),
        lambda: name.replace("ё", "е").replace("Ё", "Е"),
        lambda: "  " + name.replace(" ", "  ") + " ",
        lambda: (
            name.replace("ТОС", "Территориальное общественное самоуправление")
            if "ТОС" in name
            else f"{head} «{inner}»."
            if inner
            else name + "."
        ),
        lambda: f"{head.lower()} {inner}" if inner else name,
    ]
    return ways[way % len(ways)]()


def build() -> tuple[list[dict[str, object]], list[list[str]], list[dict[str, object]]]:
    rng = random.Random(SEED)  # noqa: S311 -- test data, reproducible by design
    registry: list[dict[str, object]] = [
        {"key": key, "name": name, "sphere": sphere, "village": VILLAGES[village][1], "leader": leader,
         "phone": phone}
        for key, name, sphere, village, leader, phone in REGISTRY
    ]  # fmt: skip
    rows: list[tuple[list[str], dict[str, object]]] = []

    def person() -> str:
        return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"

    def row(name: str, sphere: str, place: str, leader: str = "", phone: str = "", email: str = "",
            members: str = "", founded: str = "", consent: str = "да", comment: str = "") -> list[str]:  # fmt: skip
        return [name, sphere, place, leader, phone, email, members, founded, consent, comment]

    # Registry communities, each written one or two ways (ten ways in all).
    for index, (key, name, sphere, village, leader, phone) in enumerate(REGISTRY):
        for repeat in range(1 if index % 3 else 2):
            way = (index + repeat * 5) % 10
            rows.append((
                row(_name_written(name, way), rng.choice(SPHERE_WRITTEN[sphere]), _village_written(village, rng),
                    leader or person(), _phone_written(phone, rng) if phone else "", "",
                    str(rng.randint(5, 80)), str(rng.randint(1995, 2024))),
                {"kind": "existing", "registry_key": key},
            ))  # fmt: skip
    # New communities; a third of them typed again further down, differently.
    new_rows: list[tuple[int, str, str, int]] = []
    for index, (name, sphere) in enumerate(NEW):
        village = (index * 7) % len(VILLAGES)
        phone = f"+7917{rng.randint(1000000, 9999999)}" if index % 2 else ""
        rows.append((
            row(name, rng.choice(SPHERE_WRITTEN[sphere]), _village_written(village, rng), person(),
                _phone_written(phone, rng) if phone else "", "", str(rng.randint(5, 60)), str(rng.randint(2000, 2025))),
            {"kind": "new", "registry_key": None},
        ))  # fmt: skip
        new_rows.append((len(rows) - 1, name, sphere, village))
    # Look-alikes: a registry name in a village where the registry has no such community.
    for key, village in (("rodnik_iglino", 4), ("vstrecha", 2), ("zarya", 0), ("sokol", 12), ("teatr", 19)):
        name, sphere = next((n, s) for k, n, s, *_ in REGISTRY if k == key)
        rows.append((row(name, SPHERE_WRITTEN[sphere][0], _village_written(village, rng), person()),
                     {"kind": "new", "registry_key": None, "look_alike_of": key}))  # fmt: skip
    rows.append((row("Клуб ветеранов «Рябинушка»", "совет ветеранов", _village_written(3, rng), person()),
                 {"kind": "new", "registry_key": None, "look_alike_of": "veterans_club"}))  # fmt: skip
    # Invalid rows: each names its field.
    for cells, field in (
        (row("Клуб «Ошибка телефона»", "спорт", "Иглино", person(), "12-34"), "phone"),
        (row("Клуб «Ошибка почты»", "спорт", "Иглино", person(), "", "ivanov.mail.ru"), "email"),
        (row("Клуб «Много»", "спорт", "Иглино", person(), "", "", "много"), "members"),
        (row("Клуб «Древний»", "культура", "Иглино", person(), "", "", "10", "1700"), "founded"),
        (row("", "культура", "Иглино", person(), "+79170000000"), "name"),
        (row("Клуб «Нигде»", "культура", "Небывалово-на-Луне", person()), "settlement"),
        (row("Клуб «Минус»", "спорт", "Урман", person(), "", "", "-5"), "members"),
        (row("Клуб «Будущее»", "спорт", "Урман", person(), "", "", "", "2999"), "founded"),
    ):
        rows.append((cells, {"kind": "invalid", "registry_key": None, "field": field}))
    # Hostile text: stored as text, a new community each.
    for name in ('=HYPERLINK("http://x";"клик")', "<script>alert(1)</script> Клуб", "@Клуб «Собака»"):
        rows.append((row(name, "по интересам", "Иглино", person()), {"kind": "new", "registry_key": None}))
    rng.shuffle(rows)
    # The repeats go after their first row, written differently.
    final: list[tuple[list[str], dict[str, object]]] = list(rows)
    for position, (_old_index, name, sphere, village) in enumerate(new_rows[::3]):
        first = next(
            i for i, (cells, truth) in enumerate(final) if cells[0] == name and truth["kind"] == "new"
        )
        again = row(_name_written(name, position + 1), SPHERE_WRITTEN[sphere][0], _village_written(village, rng),
                    person())  # fmt: skip
        insert_at = rng.randint(first + 1, len(final))
        final.insert(insert_at, (again, {"kind": "duplicate", "registry_key": None, "first": name}))
    truth: list[dict[str, object]] = []
    first_row_of: dict[str, int] = {}
    for number, (cells, label) in enumerate(final, start=2):
        entry: dict[str, object] = {"row": number, **label}
        if label["kind"] == "new":
            first_row_of.setdefault(cells[0], number)
        if label["kind"] == "duplicate":
            entry["duplicate_of_row"] = first_row_of[str(label.pop("first"))]
            entry.pop("first", None)
        truth.append(entry)
    return registry, [cells for cells, _ in final], truth


def write() -> None:
    registry, rows, truth = build()
    (HERE / "registry.json").write_text(
        json.dumps(registry, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    (HERE / "sheet.csv").write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    (HERE / "sheet_cp1251.csv").write_bytes(text.getvalue().encode("cp1251"))
    book = Workbook()
    sheet = book.active
    sheet.title = "Ярмарка"
    sheet.append(HEADER)
    for cells in rows:
        sheet.append(cells)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:  # typed text, not formulas: what a person typing "=…" into a cell gets
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    (HERE / "sheet.xlsx").write_bytes(buffer.getvalue())


if __name__ == "__main__":
    write()
