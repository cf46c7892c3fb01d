"""A messy fair sign-up sheet with ground truth, for scoring the import (tests/fairs/test_import_accuracy.py).

Run ``python tests/data/signups/make_signups.py`` to rewrite the committed files next to this script:

* ``registry.json`` — the communities already in the registry (Иглинский район and Уфа) and their leaders;
* ``signups.csv`` (UTF-8 with BOM), ``signups_cp1251.csv`` (Windows-1251) and ``signups.xlsx`` — one sheet
  typed up after a fair, the same rows in all three;
* ``truth.json`` — what a careful person decides for every row (the header is row 1).

Everything comes from ``random.Random(SEED)``: no network, no database, the same bytes on every run.
The rows are what people really write: registry communities spelled ten ways, new communities, the same
new community typed twice a few rows apart, namesakes in other villages that must stay apart, invalid cells,
and names that look like formulas or markup. The truth is decided here, from how each row was built, never
from what the import happens to do with it.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

SEED = 20260515
HERE = Path(__file__).resolve().parent
IGLINO = "80628000"  # Иглинский район
UFA = "80701000"  # городской округ город Уфа

# Headers as the fair's volunteer typed them; one with stray case and spaces.
HEADERS = [
    "Название сообщества",
    "Сфера",
    "  НАСЕЛЁННЫЙ  пункт ",
    "ФИО лидера",
    "Телефон",
    "E-mail",
    "Численность",
    "Год создания",
    "Согласие на обработку персональных данных",
    "Комментарий",
]

# Settlement → its OKTMO type; every name resolves to exactly one settlement of its municipality
# (checked against the gazetteer by the test).
SETTLEMENT_TYPES: dict[str, str] = {
    "Иглино": "с", "Улу-Теляк": "с", "Кудеевский": "с", "Урман": "с", "Тавтиманово": "с",
    "Кальтовка": "с", "Акбердино": "с", "Ауструм": "с", "Балтика": "с", "Охлебинино": "с",
    "Турбаслы": "с", "Красный Восход": "с", "Чуваш-Кубово": "с", "Нижние Лемезы": "с",
    "Уктеево": "с", "Калтыманово": "с", "Ивано-Казанка": "с", "Старокубово": "с",
    "Кляшево": "с", "Карамалы": "с", "Симское": "с", "Ягодная": "д", "Шакша": "д",
    "Кушкуль": "д", "Мончазы": "д", "Уфа": "г",
}  # fmt: skip
TYPE_WORDS = {"с": "село", "д": "деревня", "г": "город"}

# What people write in the «Сфера» column, by the registry's sphere code.
SPHERE_TEXTS: dict[str, list[str]] = {
    "territorial": ["ТОС", "тос", "благоустр.", "благоустройство", "соседское", "Территориальное"],
    "initiative": ["инициативная группа", "ППМИ", "инициатива"],
    "ngo": ["НКО", "некоммерческая организация", "общественная организация"],
    "interest": ["по интересам", "хобби", "Клуб", "творчество"],
    "professional": ["профессиональное", "педагоги", "медики"],
    "business": ["бизнес", "фермеры", "предприниматели"],
    "science": ["наука", "робототехника", "IT"],
    "volunteer": ["волонтёры", "Волонтерское", "добровольцы", "помощь"],
    "youth": ["молодёжь", "Молодежное", "школьники"],
    "culture": ["культура", "этнокультура", "фольклор", "краеведение", "народное творчество"],
    "sport": ["спорт", "ЗОЖ", "туризм", "физкультура"],
    "ecology": ["экология", "эко", "озеленение"],
    "social": ["семья и детство", "пожилые", "многодетные", "инвалиды"],
    "council": ["общественный совет", "совет ветеранов", "женсовет"],
}
UNKNOWN_SPHERES = ["астрология", "разное", ""]

# The registry: key, name, sphere, municipality, settlement, has a leader, members, founded, and other
# ways people name the community (a person sees at once that they are the same; used for one row each).
REGISTRY: list[tuple[str, str, str, str, str, bool, int | None, int | None, list[str]]] = [
    ("tos-rodnik-iglino", "ТОС «Родник»", "territorial", IGLINO, "Иглино", True, 40, 2016, []),
    ("tos-rodnik-ulu-telyak", "ТОС «Родник»", "territorial", IGLINO, "Улу-Теляк", True, 25, 2018, []),
    ("sovet-veteranov-iglino", "Совет ветеранов", "council", IGLINO, "Иглино", True, 30, 2005, []),
    ("klub-veteranov-iglino", "Клуб ветеранов", "social", IGLINO, "Иглино", True, 18, 2012, []),
    ("sovet-veteranov-kudeevsky", "Совет ветеранов", "council", IGLINO, "Кудеевский", True, 22, 2008, []),
    ("tos-rassvet-iglino", "ТОС «Рассвет»", "territorial", IGLINO, "Иглино", True, 55, 2015, []),
    ("tos-zarechye-iglino", "ТОС «Заречье»", "territorial", IGLINO, "Иглино", False, 35, 2017, []),
    ("tos-molodezhny-iglino", "ТОС «Молодёжный»", "territorial", IGLINO, "Иглино", True, 60, 2019, []),
    ("tos-yuzhny-iglino", "ТОС «Южный»", "territorial", IGLINO, "Иглино", False, None, 2020, []),
    ("tos-severny-iglino", "ТОС «Северный»", "territorial", IGLINO, "Иглино", True, 45, 2014, []),
    ("tos-beryozka-kudeevsky", "ТОС «Берёзка»", "territorial", IGLINO, "Кудеевский", True, 20, 2018, []),
    ("tos-solnechny-urman", "ТОС «Солнечный»", "territorial", IGLINO, "Урман", False, 28, 2016, []),
    ("tos-nadezhda-tavtimanovo", "ТОС «Надежда»", "territorial", IGLINO, "Тавтиманово", True, 33, 2017, []),
    ("tos-druzhba-chuvash-kubovo", "ТОС «Дружба»", "territorial", IGLINO, "Чуваш-Кубово", True, 19, 2019, []),
    ("tos-druzhba-turbasly", "ТОС «Дружба»", "territorial", IGLINO, "Турбаслы", False, 24, 2020, []),
    ("tos-tsentralny-krasny-voskhod", "ТОС «Центральный»", "territorial", IGLINO, "Красный Восход", False, 30, 2015, []),
    ("tos-luch-nizhnie-lemezy", "ТОС «Луч»", "territorial", IGLINO, "Нижние Лемезы", True, 15, 2021, []),
    ("tos-zvezda-kaltovka", "ТОС «Звезда»", "territorial", IGLINO, "Кальтовка", False, 26, 2016, []),
    ("tos-romashka-klyashevo", "ТОС «Ромашка»", "territorial", IGLINO, "Кляшево", True, 21, 2022, []),
    ("skandi-bodrost-iglino", "Клуб скандинавской ходьбы «Бодрость»", "sport", IGLINO, "Иглино", True, 25, 2018,
     ["Скандинавская ходьба «Бодрость»"]),
    ("sk-olimp-iglino", "Спортивный клуб «Олимп»", "sport", IGLINO, "Иглино", True, 80, 2010, []),
    ("khor-ryabinushka-ulu-telyak", "Народный хор «Рябинушка»", "culture", IGLINO, "Улу-Теляк", True, 16, 1998,
     ["Хор «Рябинушка»"]),
    ("laisan-kaltovka", "Фольклорный ансамбль «Ляйсан»", "culture", IGLINO, "Кальтовка", True, 12, 2009, []),
    ("molsovet-iglino", "Молодёжный совет Иглинского района", "youth", IGLINO, "Иглино", True, 20, 2013, []),
    ("dobrye-serdtsa-iglino", "Волонтёрский отряд «Добрые сердца»", "volunteer", IGLINO, "Иглино", True, 40, 2017,
     ["Отряд волонтёров «Добрые сердца»"]),
    ("bolshaya-semya-iglino", "Общественная организация многодетных семей «Большая семья»", "social", IGLINO,
     "Иглино", True, 70, 2011, []),
    ("ano-razvitie-akberdino", "АНО «Центр развития села»", "ngo", IGLINO, "Акбердино", True, None, 2019, []),
    ("chisty-bereg-urman", "Экологическое движение «Чистый берег»", "ecology", IGLINO, "Урман", True, 30, 2020,
     ["Эко-движение «Чистый берег»"]),
    ("ladya-iglino", "Клуб любителей шахмат «Ладья»", "interest", IGLINO, "Иглино", True, 14, 2015,
     ["Шахматный клуб «Ладья»"]),
    ("masteritsa-kudeevsky", "Клуб рукоделия «Мастерица»", "interest", IGLINO, "Кудеевский", True, 12, 2016, []),
    ("otkrytaya-kniga-iglino", "Книжный клуб «Открытая книга»", "interest", IGLINO, "Иглино", False, 10, 2021, []),
    ("zhensovet-tavtimanovo", "Женсовет", "council", IGLINO, "Тавтиманово", True, 9, 2007, []),
    ("sovet-stareishin-ulu-telyak", "Совет старейшин", "council", IGLINO, "Улу-Теляк", False, 7, 2010, []),
    ("ig-svetlaya-ulitsa-okhlebinino", "Инициативная группа «Светлая улица»", "initiative", IGLINO, "Охлебинино",
     True, 8, 2023, []),
    ("ig-chisty-rodnik-baltika", "Инициативная группа «Чистый родник»", "initiative", IGLINO, "Балтика", True, 11,
     2022, []),
    ("soyuz-fermerov-iglino", "Союз фермеров Иглинского района", "business", IGLINO, "Иглино", True, 35, 2012, []),
    ("med-krai-austrum", "Ассоциация пчеловодов «Медовый край»", "business", IGLINO, "Ауструм", True, 17, 2014, []),
    ("robot-iglino", "Клуб юных техников «Робот»", "science", IGLINO, "Иглино", True, 24, 2019, []),
    ("molodye-pedagogi-iglino", "Клуб молодых педагогов", "professional", IGLINO, "Иглино", False, 20, 2018, []),
    ("serebryany-vozrast-iglino", "Клуб «Серебряный возраст»", "social", IGLINO, "Иглино", True, 45, 2016, []),
    ("aktivnoe-dolgoletie-kudeevsky", "Клуб «Активное долголетие»", "social", IGLINO, "Кудеевский", False, 30,
     2019, []),
    ("istoki-iglino", "Краеведческий клуб «Истоки»", "culture", IGLINO, "Иглино", True, 13, 2008, []),
    ("shevle-chuvash-kubovo", "Чувашский культурный центр «Шевле»", "culture", IGLINO, "Чуваш-Кубово", True, 40,
     2006, []),
    ("tugan-yak-iglino", "Татарский культурный центр «Туган як»", "culture", IGLINO, "Иглино", False, 50, 2004, []),
    ("impuls-ulu-telyak", "Молодёжный клуб «Импульс»", "youth", IGLINO, "Улу-Теляк", True, 22, 2020, []),
    ("zeleny-patrul-kudeevsky", "Школьное лесничество «Зелёный патруль»", "ecology", IGLINO, "Кудеевский", False,
     18, 2015, []),
    ("poisk-pamyat-iglino", "Поисковый отряд «Память»", "volunteer", IGLINO, "Иглино", True, 16, 2012, []),
    ("dpd-kalty-manovo", "Добровольная пожарная дружина", "volunteer", IGLINO, "Калтыманово", True, 12, 2017, []),
    ("gorizont-urman", "Клуб туристов «Горизонт»", "sport", IGLINO, "Урман", True, 27, 2013, []),
    ("fk-urozhai-tavtimanovo", "Футбольный клуб «Урожай»", "sport", IGLINO, "Тавтиманово", False, 30, 2011, []),
    ("preodolenie-iglino", "Общество инвалидов «Преодоление»", "social", IGLINO, "Иглино", True, 35, 2003, []),
    ("sem-ya-iglino", "Клуб молодых семей «Семь-Я»", "social", IGLINO, "Иглино", True, 26, 2018, []),
    ("vesyolye-lozhki-starokubovo", "Ансамбль ложкарей «Весёлые ложки»", "culture", IGLINO, "Старокубово", True, 9,
     2014, []),
    ("druzhina-iglino", "Клуб исторической реконструкции «Дружина»", "interest", IGLINO, "Иглино", False, 15,
     2016, []),
    ("tos-rassvet-ufa", "ТОС «Рассвет»", "territorial", UFA, "Уфа", True, 120, 2012, []),
    ("dobrye-serdtsa-ufa", "Волонтёрский отряд «Добрые сердца»", "volunteer", UFA, "Уфа", True, 60, 2016, []),
    ("ano-gorodskie-initsiativy-ufa", "АНО «Центр городских инициатив»", "ngo", UFA, "Уфа", True, None, 2018, []),
    ("roo-knigolyuby-ufa", "Региональная общественная организация «Общество любителей книги»", "ngo", UFA, "Уфа",
     False, 90, 2009, []),
    ("ufa-devs-ufa", "IT-сообщество «Уфа Devs»", "science", UFA, "Уфа", True, 300, 2019, []),
    ("mipl-ufa", "Клуб настольных игр «Мипл»", "interest", UFA, "Уфа", True, 45, 2017, []),
    ("chistaya-ufa-ufa", "Экологическое движение «Чистая Уфа»", "ecology", UFA, "Уфа", True, 150, 2015, []),
    ("delovaya-ufa-ufa", "Союз предпринимателей «Деловая Уфа»", "business", UFA, "Уфа", False, 80, 2013, []),
]  # fmt: skip
# The same name in the same municipality, in another place or of another kind: never one community.
LOOK_ALIKE_PAIRS = [
    ("tos-rodnik-iglino", "tos-rodnik-ulu-telyak"),
    ("sovet-veteranov-iglino", "klub-veteranov-iglino"),
    ("tos-druzhba-chuvash-kubovo", "tos-druzhba-turbasly"),
]

# New communities: (kind of group with its sphere, the proper name comes from NEW_NAMES).
NEW_KINDS: list[tuple[str, str]] = [
    ("ТОС «{}»", "territorial"), ("ТОС «{}»", "territorial"), ("ТОС «{}»", "territorial"),
    ("ТОС «{}»", "territorial"), ("Совет дома «{}»", "territorial"),
    ("Инициативная группа «{}»", "initiative"), ("Инициативная группа «{}»", "initiative"),
    ("АНО «{}»", "ngo"), ("Благотворительный фонд «{}»", "ngo"),
    ("Клуб вязания «{}»", "interest"), ("Фотоклуб «{}»", "interest"), ("Клуб садоводов «{}»", "interest"),
    ("Литературная гостиная «{}»", "interest"),
    ("Методическое объединение учителей «{}»", "professional"), ("Клуб медработников «{}»", "professional"),
    ("Кооператив фермеров «{}»", "business"), ("Ремесленная мастерская «{}»", "business"),
    ("Кружок робототехники «{}»", "science"), ("Клуб юных программистов «{}»", "science"),
    ("Волонтёрский отряд «{}»", "volunteer"), ("Добровольческая команда «{}»", "volunteer"),
    ("Юнармейский отряд «{}»", "youth"), ("Молодёжный клуб «{}»", "youth"),
    ("Вокальный ансамбль «{}»", "culture"), ("Театральная студия «{}»", "culture"),
    ("Фольклорный коллектив «{}»", "culture"),
    ("Футбольная команда «{}»", "sport"), ("Клуб лыжников «{}»", "sport"), ("Секция самбо «{}»", "sport"),
    ("Экоотряд «{}»", "ecology"), ("Клуб многодетных семей «{}»", "social"), ("Клуб для пожилых «{}»", "social"),
    ("Женсовет «{}»", "council"), ("Совет отцов «{}»", "council"),
]  # fmt: skip
NEW_NAMES = [
    "Вега", "Лира", "Сокол", "Феникс", "Радуга", "Сударушка", "Калинка", "Ивушка", "Купава", "Жемчужина",
    "Юность", "Ветерок", "Алые паруса", "Маяк", "Очаг", "Лучик", "Светлячок", "Гармония", "Вдохновение",
    "Созвездие", "Прометей", "Атлант", "Витязь", "Богатырь", "Агидель", "Тулпар", "Акбузат", "Кедр",
    "Дубрава", "Сосновый бор", "Медуница", "Земляника", "Черёмуха", "Сирень", "Колос", "Нива", "Жаворонок",
    "Соловушка", "Ласточка", "Журавушка", "Кристалл", "Старт", "Пламя", "Искорка", "Огонёк", "Добродея",
    "Забота", "Милосердие", "Вместе", "Единство", "Традиция", "Наследие", "Околица", "Слобода", "Горница",
    "Светлица", "Берегиня", "Хозяюшка", "Умелица", "Город мастеров", "Пчёлка", "Рябинка", "Тополёк",
    "Муравейник", "Калейдоскоп", "Апрель", "Эдельвейс", "Зарница", "Полёт", "Вершина", "Северное сияние",
    "Тёплый дом", "Добрый сосед", "Семицветик", "Росинка", "Карусель", "Бригантина", "Орлёнок", "Стрижи",
    "Импровизация", "Перекрёсток", "Уральские зори", "Белый парус", "Снегири", "Гусли", "Каравай",
    "Мечта", "Заря востока", "Родные просторы", "Лесная поляна", "Весна", "Капель", "Подснежник",
    "Звонница", "Былина", "Сказка", "Гнёздышко", "Солнышко", "Надёжный тыл", "Пилигрим", "Альтаир",
]  # fmt: skip
NEW_PLACES = [
    "Иглино", "Иглино", "Иглино", "Иглино", "Улу-Теляк", "Улу-Теляк", "Кудеевский", "Кудеевский", "Урман",
    "Тавтиманово", "Кальтовка", "Акбердино", "Ауструм", "Балтика", "Охлебинино", "Турбаслы", "Красный Восход",
    "Чуваш-Кубово", "Нижние Лемезы", "Уктеево", "Калтыманово", "Ивано-Казанка", "Старокубово", "Кляшево",
    "Карамалы", "Симское", "Ягодная", "Шакша", "Кушкуль", "Мончазы", "Уфа",
]  # fmt: skip
# A registry name in another settlement: a namesake, a new community.
LOOK_ALIKES: list[tuple[str, str]] = [
    ("tos-rassvet-iglino", "Кудеевский"),
    ("tos-rodnik-iglino", "Урман"),
    ("dobrye-serdtsa-iglino", "Улу-Теляк"),
    ("sovet-veteranov-iglino", "Ауструм"),
    ("tos-druzhba-chuvash-kubovo", "Иглино"),
    ("skandi-bodrost-iglino", "Урман"),
    ("zhensovet-tavtimanovo", "Балтика"),
    ("tos-zvezda-kaltovka", "Карамалы"),
]
# Another kind of group with the same core name in the same village as a registry community.
SAME_PLACE_LOOK_ALIKES: list[tuple[str, str, str]] = [
    ("sovet-veteranov-kudeevsky", "Клуб ветеранов", "social"),
]
HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/x";"Клуб «Ловушка»")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)> Клуб «Картинка»",
]
COMMENTS = [
    "Просили помочь с грантом",
    "Участвуют в ППМИ",
    "Новый председатель",
    'Встречи в "Доме культуры"; по средам в 18:00',
    "Нужна площадка для занятий",
    "Хотят в реестр",
    "Был на прошлой ярмарке",
    "Телефон рабочий, звонить до 17:00",
    "Нужен контакт с администрацией\nсельсовета",
    "Есть страница ВКонтакте",
]

FEMALE_SURNAMES = [
    "Иванова", "Петрова", "Гарипова", "Хабибуллина", "Ахметова", "Валиева", "Галиева", "Султанова",
    "Кузнецова", "Смирнова", "Фёдорова", "Николаева", "Семёнова", "Мухаметшина", "Зарипова", "Шарипова",
    "Исламова", "Юсупова", "Латыпова", "Абдуллина", "Гилязова", "Тимофеева", "Егорова", "Павлова",
]  # fmt: skip
MALE_SURNAMES = [
    "Иванов", "Петров", "Гарипов", "Хабибуллин", "Ахметов", "Валиев", "Галиев", "Султанов", "Кузнецов",
    "Смирнов", "Фёдоров", "Николаев", "Семёнов", "Мухаметшин", "Зарипов", "Шарипов", "Исламов", "Юсупов",
    "Байбурин", "Кильдияров", "Морозов", "Волков", "Лебедев", "Соколов",
]  # fmt: skip
FEMALE_NAMES = [
    "Алсу", "Гульнара", "Зульфия", "Лилия", "Мария", "Анна", "Елена", "Ольга", "Наталья", "Татьяна",
    "Светлана", "Ирина", "Резеда", "Альфия", "Гузель", "Людмила", "Нина", "Валентина",
]  # fmt: skip
MALE_NAMES = [
    "Рустем", "Ильдар", "Айдар", "Салават", "Иван", "Сергей", "Александр", "Дмитрий", "Николай",
    "Владимир", "Ринат", "Марат", "Азат", "Фанис", "Виктор", "Юрий",
]  # fmt: skip
PATRONYMICS = [
    ("Рашитович", "Рашитовна"), ("Ильдарович", "Ильдаровна"), ("Иванович", "Ивановна"),
    ("Сергеевич", "Сергеевна"), ("Николаевич", "Николаевна"), ("Петрович", "Петровна"),
    ("Фанисович", "Фанисовна"), ("Маратович", "Маратовна"), ("Александрович", "Александровна"),
    ("Викторович", "Викторовна"), ("Салаватович", "Салаватовна"), ("Юрьевич", "Юрьевна"),
]  # fmt: skip
MOBILE_CODES = ["917", "919", "927", "937", "962", "965", "987", "903"]
MAIL_DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru"]
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
         "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya"],
        strict=True,
    )
)  # fmt: skip

# The ten ways a registry name gets written down (plus «reworded», which only some communities have).
NAME_VARIANTS = [
    "exact", "straight_quotes", "low_quotes", "no_quotes", "upper", "lower", "yo", "spaces",
    "legal_form", "typo",
]  # fmt: skip
PLACE_VARIANTS = ["bare", "dot", "dot_nospace", "word", "upper", "lower", "district", "type_space"]
PHONE_VARIANTS = ["paren", "plus", "ten", "dashes", "spaced", "digits"]
LEGAL_FORMS = [
    ("ТОС", "Территориальное общественное самоуправление"),
    ("АНО", "Автономная некоммерческая организация"),
    ("Общественная организация", "ОО"),
    ("Региональная общественная организация", "РОО"),
]


@dataclass
class Person:
    name: str
    phone: str  # E.164
    email: str


@dataclass
class Entity:
    """One community as the sheet knows it: a registry one (key set) or a new one."""

    name: str
    sphere: str
    settlement: str
    key: str | None = None
    person: Person | None = None
    members: int | None = None
    founded: int | None = None
    aliases: list[str] = field(default_factory=list)
    look_alike: str | None = None  # the registry key it must never be merged with


@dataclass
class Row:
    entity: Entity | None  # None for invalid rows
    cells: dict[str, str]
    variant: str
    invalid_fields: list[str] = field(default_factory=list)


class Sheet:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not a secret
        self.phones: set[str] = set()
        self.counters: dict[str, int] = {}

    # People ------------------------------------------------------------------------------------
    def phone(self) -> str:
        while True:
            number = f"+7{self.rng.choice(MOBILE_CODES)}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self, *, with_email: bool) -> Person:
        female = self.rng.random() < 0.6
        surname = self.rng.choice(FEMALE_SURNAMES if female else MALE_SURNAMES)
        first = self.rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        patronymic = self.rng.choice(PATRONYMICS)[1 if female else 0]
        email = ""
        if with_email:
            login = "".join(_TRANSLIT.get(letter, letter) for letter in surname.lower())
            email = f"{login}.{self.rng.randrange(10, 99)}@{self.rng.choice(MAIL_DOMAINS)}"
        return Person(f"{surname} {first} {patronymic}", self.phone(), email)

    def next_variant(self, kind: str, variants: list[str]) -> str:
        position = self.counters.get(kind, 0)
        self.counters[kind] = position + 1
        return variants[position % len(variants)]

    # Spellings ---------------------------------------------------------------------------------
    def name_written(self, name: str, variant: str) -> str:
        if variant == "straight_quotes":
            return name.replace("«", '"').replace("»", '"')
        if variant == "low_quotes":
            return name.replace("«", "„").replace("»", "“")
        if variant == "no_quotes":
            return name.replace("«", "").replace("»", "")
        if variant == "upper":
            return name.upper()
        if variant == "lower":
            return name.lower().replace("«", "").replace("»", "")
        if variant == "yo":
            return name.replace("ё", "е").replace("Ё", "Е")
        if variant == "spaces":
            return "  " + name.replace(" ", "  ", 1).replace("«", " «") + "  "
        if variant == "legal_form":
            for short, long in LEGAL_FORMS:
                if name.startswith(short + " "):
                    return long + name[len(short) :]
            return name
        if variant == "typo":
            return self.typo(name)
        return name

    def typo(self, name: str) -> str:
        """Two neighbouring letters swapped in the longest word of the proper name."""
        quoted = name.split("«", 1)[1].split("»", 1)[0] if "«" in name else name
        word = max(quoted.split(), key=len)
        for _attempt in range(10):
            position = self.rng.randrange(2, len(word) - 2)
            swapped = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
            if swapped != word:
                return name.replace(word, swapped, 1)
        return name

    @staticmethod
    def applicable(name: str, variant: str) -> bool:
        if variant == "yo":
            return "ё" in name.lower()
        if variant in {"straight_quotes", "low_quotes", "no_quotes"}:
            return "«" in name
        if variant == "legal_form":
            return any(name.startswith(short + " ") for short, _long in LEGAL_FORMS)
        if variant == "typo":
            quoted = name.split("«", 1)[1].split("»", 1)[0] if "«" in name else name
            return len(max(quoted.split(), key=len)) >= 7
        return True

    def place_written(self, settlement: str, variant: str) -> str:
        kind = SETTLEMENT_TYPES[settlement]
        if variant == "dot":
            return f"{kind}. {settlement}"
        if variant == "dot_nospace":
            return f"{kind}.{settlement}"
        if variant == "word":
            return f"{TYPE_WORDS[kind]} {settlement}"
        if variant == "upper":
            return f"{kind}. {settlement}".upper()
        if variant == "lower":
            return settlement.lower()
        if variant == "district" and settlement != "Уфа":
            return f"Иглинский р-н, {kind}. {settlement}"
        if variant == "type_space":
            return f"{kind} {settlement}"
        return settlement

    def phone_written(self, phone: str, variant: str) -> str:
        code, a, b, c = phone[2:5], phone[5:8], phone[8:10], phone[10:12]
        if variant == "paren":
            return f"8 ({code}) {a}-{b}-{c}"
        if variant == "plus":
            return phone
        if variant == "ten":
            return f"{code}-{a}-{b}-{c}"
        if variant == "dashes":
            return f"8-{code}-{a}-{b}-{c}"
        if variant == "spaced":
            return f"+7 {code} {a} {b} {c}"
        return f"8{code}{a}{b}{c}"

    def leader_written(self, person: Person) -> str:
        surname, first, patronymic = person.name.split()
        return self.rng.choice(
            [
                person.name,
                f"{surname} {first[0]}.{patronymic[0]}.",
                f"{first} {surname}",
                f"{surname} {first}",
            ]
        )

    def members_written(self, members: int | None) -> str:
        if members is None or self.rng.random() < 0.2:
            return ""
        return self.rng.choice(
            [str(members), str(members), f"около {members}", f"{members} чел.", f"~{members}"]
        )

    def founded_written(self, founded: int | None) -> str:
        if founded is None or self.rng.random() < 0.3:
            return ""
        return self.rng.choice([str(founded), str(founded), f"{founded} г.", f"{founded} год"])

    def sphere_written(self, code: str) -> str:
        return self.rng.choice(SPHERE_TEXTS[code])

    # Rows --------------------------------------------------------------------------------------
    def row(
        self,
        entity: Entity,
        *,
        variant: str,
        name: str | None = None,
        place: str | None = None,
        with_contacts: bool | None = None,
        sphere: str | None = None,
    ) -> Row:
        person = entity.person
        if with_contacts is None:
            with_contacts = self.rng.random() < 0.75
        phone = email = leader = ""
        if person is not None:
            leader = self.leader_written(person)
            if with_contacts:
                phone = self.phone_written(person.phone, self.next_variant("phone", PHONE_VARIANTS))
                if person.email:
                    email = person.email.upper() if self.rng.random() < 0.2 else person.email
        cells = {
            "name": name if name is not None else self.name_written(entity.name, variant),
            "sphere": sphere if sphere is not None else self.sphere_written(entity.sphere),
            "place": place
            if place is not None
            else self.place_written(entity.settlement, self.next_variant("place", PLACE_VARIANTS)),
            "leader": leader,
            "phone": phone,
            "email": email,
            "members": self.members_written(entity.members),
            "founded": self.founded_written(entity.founded),
            "consent": self.rng.choice(["да", "да", "Да", "да", "+", "", "нет"]) if leader else "",
            "comment": self.rng.choice(COMMENTS) if self.rng.random() < 0.2 else "",
        }
        return Row(entity, cells, variant)

    def variant_for(self, name: str) -> str:
        for _attempt in range(len(NAME_VARIANTS)):
            variant = self.next_variant("name", NAME_VARIANTS)
            if self.applicable(name, variant):
                return variant
        return "exact"


def registry_entities(sheet: Sheet) -> list[Entity]:
    entities = []
    for key, name, sphere, oktmo, settlement, has_leader, members, founded, aliases in REGISTRY:
        person = sheet.person(with_email=sheet.rng.random() < 0.4) if has_leader else None
        entities.append(
            Entity(
                name=name,
                sphere=sphere,
                settlement=settlement,
                key=key,
                person=person,
                members=members,
                founded=founded,
                aliases=aliases,
            )
        )
        assert oktmo == (UFA if settlement == "Уфа" else IGLINO)  # noqa: S101 -- a guard against typos above
    return entities


def build(seed: int = SEED) -> dict[str, bytes]:
    """Every file of the data set, by file name."""
    sheet = Sheet(seed)
    rng = sheet.rng
    registry = registry_entities(sheet)
    by_key = {entity.key: entity for entity in registry}

    primaries: list[Row] = []
    repeats: list[tuple[Row, Row]] = []  # (original, the same community typed again)

    # (a) Registry communities; all but a few appear, the ones with other names once by that name.
    appearing = [entity for entity in registry if rng.random() < 0.92]
    for entity in appearing:
        if entity.aliases:
            primaries.append(sheet.row(entity, variant="reworded", name=entity.aliases[0]))
        elif rng.random() < 0.05:
            primaries.append(sheet.row(entity, variant="no_place", place=""))
        else:
            primaries.append(sheet.row(entity, variant=sheet.variant_for(entity.name)))
    for original in rng.sample(primaries, 8):
        assert original.entity is not None  # noqa: S101
        again = sheet.row(original.entity, variant=sheet.variant_for(original.entity.name))
        repeats.append((original, again))

    # (b) New communities, (c) some of them typed again a few rows later.
    names = NEW_NAMES[:]
    rng.shuffle(names)
    new_rows: list[Row] = []
    for number in range(80):
        template, sphere = NEW_KINDS[number % len(NEW_KINDS)]
        entity = Entity(
            name=template.format(names.pop()),
            sphere=sphere,
            settlement=rng.choice(NEW_PLACES),
            person=sheet.person(with_email=rng.random() < 0.35) if rng.random() < 0.85 else None,
            members=rng.randrange(5, 120),
            founded=rng.randrange(1995, 2026),
        )
        unknown_sphere = number % 24 == 23
        new_rows.append(
            sheet.row(
                entity,
                variant="new",
                name=entity.name,
                sphere=rng.choice(UNKNOWN_SPHERES) if unknown_sphere else None,
            )
        )
    primaries.extend(new_rows)
    for original in rng.sample(new_rows, 18):
        assert original.entity is not None  # noqa: S101
        again = sheet.row(
            original.entity, variant=sheet.variant_for(original.entity.name), sphere=original.cells["sphere"]
        )
        repeats.append((original, again))

    # (d) Namesakes of registry communities elsewhere, and another kind of group in the same village.
    for key, settlement in LOOK_ALIKES:
        source = by_key[key]
        entity = Entity(
            name=source.name,
            sphere=source.sphere,
            settlement=settlement,
            person=sheet.person(with_email=False),
            members=rng.randrange(5, 60),
            look_alike=key,
        )
        primaries.append(sheet.row(entity, variant=sheet.variant_for(entity.name)))
    for key, name, sphere in SAME_PLACE_LOOK_ALIKES:
        source = by_key[key]
        entity = Entity(
            name=name,
            sphere=sphere,
            settlement=source.settlement,
            person=sheet.person(with_email=False),
            look_alike=key,
        )
        primaries.append(sheet.row(entity, variant="same_place_other_kind", name=name, sphere="ветераны"))

    # (f) Names that look like formulas or markup: new communities, stored as text.
    for name in HOSTILE_NAMES:
        entity = Entity(name=name, sphere="interest", settlement=rng.choice(["Иглино", "Кудеевский"]))
        primaries.append(sheet.row(entity, variant="hostile", name=name, sphere="по интересам"))

    # (e) Invalid rows: one or two bad cells each; about 8 % of the sheet.
    primaries.extend(invalid_rows(sheet, registry, names))

    rng.shuffle(primaries)
    order = primaries[:]
    for original, again in repeats:
        position = next(index for index, row in enumerate(order) if row is original) + rng.randrange(2, 12)
        order.insert(min(position, len(order)), again)

    truth = truth_for(order)
    files = {
        "registry.json": registry_json(registry),
        "signups.csv": csv_bytes(order, "utf-8-sig"),
        "signups_cp1251.csv": csv_bytes(order, "cp1251"),
        "signups.xlsx": xlsx_bytes(order),
        "truth.json": json_bytes(truth),
    }
    return files


def invalid_rows(sheet: Sheet, registry: list[Entity], names: list[str]) -> list[Row]:
    rng = sheet.rng
    breakages: list[tuple[str, Callable[[dict[str, str]], None], list[str]]] = [
        ("bad_phone", lambda cells: cells.update(phone="8-34-7"), ["phone"]),
        ("bad_phone", lambda cells: cells.update(phone="12345"), ["phone"]),
        ("bad_phone", lambda cells: cells.update(phone="+7 917 345"), ["phone"]),
        ("email_without_at", lambda cells: cells.update(email="ivanova.mail.ru"), ["email"]),
        ("email_without_at", lambda cells: cells.update(email="petrov at yandex.ru"), ["email"]),
        ("email_without_at", lambda cells: cells.update(email="rodnik-iglino.ru"), ["email"]),
        ("members_words", lambda cells: cells.update(members="много"), ["members"]),
        ("members_words", lambda cells: cells.update(members="человек 20"), ["members"]),
        ("members_range", lambda cells: cells.update(members="20-30"), ["members"]),
        ("founded_1700", lambda cells: cells.update(founded="1700"), ["founded"]),
        ("founded_words", lambda cells: cells.update(founded="давно"), ["founded"]),
        ("founded_1700", lambda cells: cells.update(founded="1700 г."), ["founded"]),
        ("empty_name", lambda cells: cells.update(name=""), ["name"]),
        ("empty_name", lambda cells: cells.update(name="   "), ["name"]),
        ("empty_name", lambda cells: cells.update(name=""), ["name"]),
        (
            "bad_phone_and_email",
            lambda cells: cells.update(phone="8 917", email="net pochty"),
            ["phone", "email"],
        ),
    ]
    rows = []
    for number, (variant, breakage, fields) in enumerate(breakages):
        if number % 4 == 0:  # some are registry communities with a bad cell: still invalid rows
            entity = rng.choice(registry)
        else:
            template, sphere = NEW_KINDS[rng.randrange(len(NEW_KINDS))]
            entity = Entity(
                name=template.format(names.pop()),
                sphere=sphere,
                settlement=rng.choice(NEW_PLACES),
                person=sheet.person(with_email=False),
                members=rng.randrange(5, 50),
            )
        row = sheet.row(entity, variant=variant, name=entity.name, with_contacts=True)
        breakage(row.cells)
        if not row.cells["leader"]:
            row.cells["leader"] = "Иванова Мария"  # an empty-name row still has something in it
        rows.append(Row(None, row.cells, variant, invalid_fields=fields))
    return rows


def truth_for(order: list[Row]) -> list[dict[str, Any]]:
    truth: list[dict[str, Any]] = []
    first_row: dict[int, int] = {}  # id(entity) → the row where it first appears validly
    for number, row in enumerate(order, start=2):
        entity = row.entity
        item: dict[str, Any] = {
            "row": number,
            "kind": "invalid",
            "registry_key": None,
            "duplicate_of_row": None,
            "look_alike_key": None,
            "invalid_fields": row.invalid_fields,
            "variant": row.variant,
            "settlement": None,
        }
        if entity is not None:
            item["registry_key"] = entity.key
            item["look_alike_key"] = entity.look_alike or _pair_of(entity.key)
            item["settlement"] = entity.settlement if row.cells["place"] else None
            if id(entity) in first_row:
                item["kind"] = "duplicate"
                item["duplicate_of_row"] = first_row[id(entity)]
            else:
                first_row[id(entity)] = number
                item["kind"] = "existing" if entity.key else "new"
        truth.append(item)
    return truth


def _pair_of(key: str | None) -> str | None:
    for first, second in LOOK_ALIKE_PAIRS:
        if key == first:
            return second
        if key == second:
            return first
    return None


COLUMNS = ["name", "sphere", "place", "leader", "phone", "email", "members", "founded", "consent", "comment"]


def csv_bytes(order: list[Row], encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in order:
        writer.writerow([row.cells[column] for column in COLUMNS])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(order: list[Row]) -> bytes:
    """The same rows in Excel: numbers typed as numbers, everything else (formula-like names too) as text."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101
    sheet.title = "Ярмарка"
    sheet.append(HEADERS)
    for number, row in enumerate(order, start=2):
        for position, column in enumerate(COLUMNS, start=1):
            value = row.cells[column]
            cell = sheet.cell(row=number, column=position)
            if column in {"members", "founded", "phone"} and value.isdigit():
                cell.value = int(value)
            else:
                cell.value = value or None
                if value:
                    cell.data_type = "s"  # «=HYPERLINK(…)» typed as text, not a formula
    fixed = datetime(2026, 5, 15, 18, 0)  # noqa: DTZ001 -- the workbook's own timestamps, no time zone
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    raw = io.BytesIO()
    workbook.save(raw)
    # openpyxl stamps each zip entry with the current time: restamp them so the bytes are reproducible.
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=(2026, 5, 15, 18, 0, 0))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(info.filename))
    return result.getvalue()


def registry_json(registry: list[Entity]) -> bytes:
    items = [
        {
            "key": entity.key,
            "name": entity.name,
            "sphere": entity.sphere,
            "oktmo": UFA if entity.settlement == "Уфа" else IGLINO,
            "settlement": entity.settlement,
            "members": entity.members,
            "founded": entity.founded,
            "leader": None
            if entity.person is None
            else {"name": entity.person.name, "phone": entity.person.phone, "email": entity.person.email},
        }
        for entity in registry
    ]
    return json_bytes(items)


def json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")  # noqa: T201


if __name__ == "__main__":
    main()
