"""Import of the `Potřeby a činnosti` sheet: needs with their signs and risks, activities with
who can do them and the local practice.

A row is an activity of a need (or a need alone, with an empty `Činnost`). An empty or merged
`Oblast potřeb` / `Potřeba` cell means "same as above". Needs match by area and name,
activities by need and name: a name written exactly (but for case), else the one name like it
but for diacritics, spaces and punctuation. The sheet is small (dozens to hundreds of rows),
so both sides are compared whole.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import translation

from actors.history import record_history
from actors.models import Actor, ActorType, LocalPractice
from needs.models import Activity, Focus, FulfilmentSign, Need, NeedArea, Risk
from needs.resources import SHEET, labels, one_line

from . import values
from .plan import REASON, RowPlan, SheetPlan
from .reader import Problem, SheetData, SheetSpec, clean_cell, header_key

AREA, NEED, SIGNS, RISKS = "Oblast potřeb", "Potřeba", "Naplňování potřeby", "Rizika nenaplnění"
ACTIVITY, FOCUS = "Činnost", "Zaměření činnosti"
TYPES, PRACTICE, INVOLVED = "Kdo může činnost uskutečnit", "Praxe v lokalitě", "Zapojení aktéři"
COLUMNS = (AREA, NEED, SIGNS, RISKS, ACTIVITY, FOCUS, TYPES, PRACTICE, INVOLVED)
# The longest name of a need or an activity the database takes.
NAME = min(Need._meta.get_field("name").max_length, Activity._meta.get_field("name").max_length)


def spec(headers: list[str]) -> SheetSpec:
    return SheetSpec(SHEET, [AREA, NEED], headers)


NEED_URL, ACTIVITY_URL = "admin:needs_need_change", "admin:needs_activity_change"


@dataclass
class NeedPlan(SheetPlan):
    # The needs of the file that exist, by their key: new activities and signs attach to them.
    need_ids: dict = field(default_factory=dict)
    # Needs missing from the file (`missing` holds the activities), listed as well.
    missing_needs: list = field(default_factory=list)

    def missing_links(self, url_name: str) -> list[tuple[int, str, str]]:
        needs = [(pk, name, NEED_URL) for pk, name in self.missing_needs]
        return needs + super().missing_links(url_name)


class NeedSheet:
    def __init__(self, actors: SheetPlan | None):
        with translation.override("cs"):
            self.areas = values.Names(NeedArea.objects.values_list("pk", "name"), "Oblast potřeb")
            self.focuses = values.Names(labels(Focus).items(), "Zaměření činnosti")
        self.types = values.Names(ActorType.objects.values_list("pk", "name"), "Typ aktéra")
        # Ended actors stay in the practice they took part in.
        self.actors = values.Names(Actor.objects.values_list("pk", "name"), "Aktéra")
        for row in actors.added if actors else []:
            self.actors.add(("new", header_key(row.name)), row.name)

    def show(self, header: str, value) -> str:
        if header in (SIGNS, RISKS):
            return "\n".join(value)
        if header == FOCUS:
            return self.focuses.show(value)
        if header == TYPES:
            return self.types.show(value)
        if header == INVOLVED:
            return self.actors.show(value)
        return values.text(value)


def _read_back(text: str) -> str:
    """A stored text as the import reads it back from the export (trimmed, NFC, ...)."""
    return clean_cell(text, [], {}) or ""


def _current():
    """Needs by pk (name, state), activities by pk (name, need, state), and their names: of
    needs by area, of activities by need (`values.Names`: of two names alike, the one written
    wins)."""
    needs, activities = {}, {}
    need_names, activity_names = defaultdict(list), defaultdict(list)
    signs, risks = defaultdict(list), defaultdict(list)
    for model, by_need in ((FulfilmentSign, signs), (Risk, risks)):
        for need_id, text in model.objects.order_by("need", "order", "id").values_list(
            "need_id", "text"
        ):
            if line := _read_back(one_line(text)):
                by_need[need_id].append(line)
    for pk, area_id, name in Need.objects.values_list("pk", "area_id", "name"):
        needs[pk] = (name, {SIGNS: tuple(signs[pk]), RISKS: tuple(risks[pk])})
        need_names[area_id].append((pk, _read_back(name)))
    types, involved = defaultdict(set), defaultdict(set)
    for activity_id, type_id in ActorType.activities.through.objects.values_list(
        "activity_id", "actortype_id"
    ):
        types[activity_id].add(type_id)
    practice = dict(LocalPractice.objects.values_list("activity_id", "description"))
    for activity_id, actor_id in LocalPractice.actors.through.objects.values_list(
        "localpractice__activity_id", "actor_id"
    ):
        involved[activity_id].add(actor_id)
    for pk, need_id, name, focus in Activity.objects.values_list("pk", "need_id", "name", "focus"):
        activities[pk] = (
            name,
            need_id,
            {
                FOCUS: focus,
                TYPES: frozenset(types[pk]),
                PRACTICE: (practice.get(pk) or "").strip(),
                INVOLVED: frozenset(involved[pk]),
            },
        )
        activity_names[need_id].append((pk, _read_back(name)))
    return (
        needs,
        {area: values.Names(pairs, "Potřebu") for area, pairs in need_names.items()},
        activities,
        {need: values.Names(pairs, "Činnost") for need, pairs in activity_names.items()},
    )


def _key(scope, names: dict, name: str) -> tuple:
    """A need's key (scope: its area) or an activity's (scope: its need, None if new): (scope,
    pk) of an existing one, else (scope, "new", name key). ValueProblem if several are alike."""
    found = names[scope].find(name) if scope in names else None
    return (scope, found) if found is not None else (scope, "new", header_key(name))


def _existing_id(key: tuple) -> int | None:
    return key[1] if len(key) == 2 else None


def _many(names: values.Names, cell, column: str, found: list[Problem], where: dict):
    """The names of a cell, or None and a problem for each name of it that is unknown."""
    try:
        return names.many(cell)
    except values.ValueProblem:
        for part in values.split_list(cell):
            try:
                names.get(part)
            except values.ValueProblem as problem:
                found.append(Problem(str(problem), column=column, **where))
        return None


# A refused area or need: the rows below that inherit it are not matched, and not reported
# again as missing it.
REFUSED = object()


def plan_needs(sheet: NeedSheet, data: SheetData, problems: list[Problem]) -> NeedPlan:
    """Match the rows to needs and activities and compare; every problem of a row is named.

    The cells of a need (`Naplňování potřeby`, `Rizika nenaplnění`) may be written on one of
    its rows (the export writes them on the first), repeated on each or merged: an empty cell
    means "same as above", and differing filled cells are a problem. Only if the column is in
    the file and empty on every row of the need are its signs (or risks) cleared.
    """
    present = {header_key(h) for h in data.headers}
    has = {h: header_key(h) in present for h in (SIGNS, RISKS, FOCUS, TYPES, PRACTICE, INVOLVED)}
    needs, need_names, activities, activity_names = _current()
    plan = NeedPlan()
    area = need_name = None
    seen_needs: dict[tuple, dict] = {}
    seen_activities: dict[tuple, int] = {}
    for number, cells_by_key in data.rows:
        cells = {h: cells_by_key.get(header_key(h)) for h in COLUMNS}
        where = {"sheet": data.name, "row": number}
        found: list[Problem] = []
        if cells[AREA] is not None:
            need_name = None
            try:
                area = sheet.areas.get(values.text(cells[AREA]))
            except values.ValueProblem as problem:
                area = REFUSED
                found.append(Problem(str(problem), column=AREA, **where))
        if cells[NEED] is not None:
            try:
                need_name = values.at_most(values.text(cells[NEED]).strip(), NAME, "Potřeba")
            except values.ValueProblem as problem:
                need_name = REFUSED
                found.append(Problem(str(problem), column=NEED, **where))
        if area is None:
            found.append(Problem("Chybí oblast potřeb (ani v řádcích nad).", column=AREA, **where))
        if not need_name:
            found.append(Problem("Chybí potřeba (ani v řádcích nad).", column=NEED, **where))
        need_key = None
        if area is not None and area is not REFUSED and need_name and need_name is not REFUSED:
            try:
                need_key = _key(area, need_names, need_name)
            except values.ValueProblem as problem:
                need_name = REFUSED
                found.append(Problem(str(problem), column=NEED, **where))
        if need_key is not None:
            need = seen_needs.setdefault(
                need_key, {"row": number, "name": need_name, "texts": {}, "rows": {}}
            )
            for header in (SIGNS, RISKS):
                if not has[header] or cells[header] is None:
                    continue
                lines = tuple(
                    line.strip() for line in values.text(cells[header]).split("\n") if line.strip()
                )
                if header in need["texts"] and need["texts"][header] != lines:
                    found.append(
                        Problem(
                            f"Potřeba „{need_name}“ má jiný obsah než na řádku "
                            f"{need['rows'][header]}; vyplňte ho jen jednou.",
                            column=header,
                            **where,
                        )
                    )
                need["texts"][header], need["rows"][header] = lines, number
        try:
            name = values.at_most(values.text(cells[ACTIVITY]).strip(), NAME, "Činnost")
        except values.ValueProblem as problem:
            found.append(Problem(str(problem), column=ACTIVITY, **where))
            name = ""
        activity_key = None
        if need_key is not None and name:
            try:
                activity_key = _key(_existing_id(need_key), activity_names, name)
            except values.ValueProblem as problem:
                found.append(Problem(str(problem), column=ACTIVITY, **where))
        if activity_key is not None:
            activity_key = (need_key, *activity_key[1:])
            if activity_key in seen_activities:
                found.append(
                    Problem(
                        f"Činnost „{name}“ je u potřeby dvakrát: řádky "
                        f"{seen_activities[activity_key]} a {number}.",
                        column=ACTIVITY,
                        **where,
                    )
                )
            else:
                seen_activities[activity_key] = number
        state = {}
        if name:
            if has[FOCUS]:
                try:
                    state[FOCUS] = (
                        sheet.focuses.get(values.text(cells[FOCUS]))
                        if cells[FOCUS]
                        else Focus.PREVENTION
                    )
                except values.ValueProblem as problem:
                    found.append(Problem(str(problem), column=FOCUS, **where))
            if has[TYPES]:
                state[TYPES] = _many(sheet.types, cells[TYPES], TYPES, found, where)
            if has[PRACTICE]:
                state[PRACTICE] = values.text(cells[PRACTICE]).strip()
            if has[INVOLVED]:
                state[INVOLVED] = _many(sheet.actors, cells[INVOLVED], INVOLVED, found, where)
        if found:
            problems += found
            continue
        if not name or need_key is None:  # below a refused area or need: reported there
            continue
        label = f"{need_name} › {name}"
        pk = _existing_id(activity_key)
        if pk is None:
            changes = [(h, "", shown) for h, v in state.items() if (shown := sheet.show(h, v))]
            state.update(kind="activity", need=need_key, name=name)
            plan.added.append(RowPlan(number, label, None, state, changes, url_name=ACTIVITY_URL))
            continue
        old_name, _, old = activities[pk]
        changes = [
            (h, sheet.show(h, old[h]), sheet.show(h, v)) for h, v in state.items() if v != old[h]
        ]
        # Matched ignoring case and diacritics: a fix of just those is a change of the name.
        if name != _read_back(old_name):
            changes.insert(0, (ACTIVITY, old_name, name))
            state["name"] = name
        if changes:
            state["kind"] = "activity"
            plan.changed.append(RowPlan(number, label, pk, state, changes, 0, ACTIVITY_URL))
        else:
            plan.unchanged += 1
    # Needs: new ones, renamed ones, and changed signs or risks.
    for need_key, need in seen_needs.items():
        pk = _existing_id(need_key)
        state = {h: need["texts"].get(h, ()) for h in (SIGNS, RISKS) if has[h]}
        if pk is None:
            changes = [(NEED, "", need["name"])] + [
                (h, "", sheet.show(h, v)) for h, v in state.items() if v
            ]
            state.update(kind="need", need=need_key, name=need["name"])
            plan.added.append(
                RowPlan(need["row"], need["name"], None, state, changes, None, NEED_URL)
            )
            continue
        old_name, old = needs[pk]
        changes = [
            (h, sheet.show(h, old[h]), sheet.show(h, v)) for h, v in state.items() if v != old[h]
        ]
        if need["name"] != _read_back(old_name):
            changes.insert(0, (NEED, old_name, need["name"]))
            state["name"] = need["name"]
        if changes:
            state.update(kind="need", need=need_key)
            plan.changed.append(RowPlan(need["row"], need["name"], pk, state, changes, 0, NEED_URL))
    plan.need_ids = {key: _existing_id(key) for key in seen_needs if _existing_id(key)}
    # Neither needs nor activities have a lifecycle: those missing from the file are listed,
    # never deleted (the importer's Section(ends_missing=False)).
    listed_needs = set(plan.need_ids.values())
    listed_activities = {_existing_id(key) for key in seen_activities}
    plan.missing_needs = [(pk, name) for pk, (name, _) in needs.items() if pk not in listed_needs]
    plan.missing = [
        (pk, f"{needs[need_id][0]} › {name}")
        for pk, (name, need_id, _) in activities.items()
        if pk not in listed_activities
    ]
    return plan


def apply_needs(plan: NeedPlan, actors: SheetPlan | None, *, user) -> None:
    """Write the plan after the actors (the practice may name actors the file adds)."""
    new_actor_ids = {
        ("new", header_key(r.name)): r.record_id for r in (actors.added if actors else [])
    }
    need_ids = dict(plan.need_ids)
    rows = [*plan.added, *plan.changed]
    new_needs = [r for r in plan.added if r.state["kind"] == "need"]
    orders = defaultdict(int)
    for area_id, order in Need.objects.values_list("area_id", "order"):
        orders[area_id] = max(orders[area_id], order)
    created_needs = []
    for row in new_needs:
        area_id = row.state["need"][0]
        orders[area_id] += 1
        created_needs.append(Need(area_id=area_id, name=row.state["name"], order=orders[area_id]))
    Need.objects.bulk_create(created_needs)
    for row, need in zip(new_needs, created_needs, strict=True):
        row.record_id = need_ids[row.state["need"]] = need.pk
    renamed = {
        r.record_id: r.state["name"]
        for r in plan.changed
        if r.state["kind"] == "need" and "name" in r.state
    }
    renamed_needs = list(Need.objects.filter(pk__in=renamed))
    for need in renamed_needs:
        need.name = renamed[need.pk]
    Need.objects.bulk_update(renamed_needs, ["name"])
    for model, header in ((FulfilmentSign, SIGNS), (Risk, RISKS)):
        affected = [r for r in rows if r.state["kind"] == "need" and header in r.state]
        model.objects.filter(need_id__in=[need_ids[r.state["need"]] for r in affected]).delete()
        created_texts = model.objects.bulk_create(
            model(need_id=need_ids[r.state["need"]], text=text, order=index)
            for r in affected
            for index, text in enumerate(r.state[header])
        )
        record_history(created_texts, user=user, reason=REASON, history_type="+")
    new_activities = [r for r in plan.added if r.state["kind"] == "activity"]
    created = [
        Activity(
            need_id=need_ids[r.state["need"]],
            name=r.state["name"],
            focus=r.state.get(FOCUS, Focus.PREVENTION),
            order=index,
        )
        for index, r in enumerate(new_activities)
    ]
    Activity.objects.bulk_create(created)
    for row, activity in zip(new_activities, created, strict=True):
        row.record_id = activity.pk
    changed = [r for r in plan.changed if r.state["kind"] == "activity"]
    current = Activity.objects.in_bulk([r.record_id for r in changed])
    for row in changed:
        if FOCUS in row.state:
            current[row.record_id].focus = row.state[FOCUS]
        if "name" in row.state:
            current[row.record_id].name = row.state["name"]
    Activity.objects.bulk_update(current.values(), ["focus", "name"])
    activity_rows = [*new_activities, *changed]
    typed = [r for r in activity_rows if TYPES in r.state]
    through = ActorType.activities.through
    through.objects.filter(activity_id__in=[r.record_id for r in typed]).delete()
    through.objects.bulk_create(
        through(activity_id=r.record_id, actortype_id=pk) for r in typed for pk in r.state[TYPES]
    )
    practised = [r for r in activity_rows if {PRACTICE, INVOLVED} & set(r.state)]
    _write_practice(practised, new_actor_ids, user)
    record_history(created_needs, user=user, reason=REASON, history_type="+")
    record_history(renamed_needs, user=user, reason=REASON)
    record_history(created, user=user, reason=REASON, history_type="+")
    record_history(list(current.values()), user=user, reason=REASON)


def _write_practice(rows: list[RowPlan], new_actor_ids: dict, user) -> None:
    if not rows:
        return
    existing = {p.activity_id: p for p in LocalPractice.objects.filter(
        activity_id__in=[r.record_id for r in rows])}  # fmt: skip
    missing = [LocalPractice(activity_id=r.record_id) for r in rows if r.record_id not in existing]
    LocalPractice.objects.bulk_create(missing)
    existing.update({p.activity_id: p for p in missing})
    for row in rows:
        if PRACTICE in row.state:
            existing[row.record_id].description = row.state[PRACTICE]
    LocalPractice.objects.bulk_update(existing.values(), ["description"])
    involved = [r for r in rows if INVOLVED in r.state]
    through = LocalPractice.actors.through
    through.objects.filter(
        localpractice_id__in=[existing[r.record_id].pk for r in involved]
    ).delete()
    through.objects.bulk_create(
        through(
            localpractice_id=existing[r.record_id].pk,
            actor_id=new_actor_ids[a] if isinstance(a, tuple) else a,
        )
        for r in involved
        for a in r.state[INVOLVED]
    )
    # After the links: each record keeps its snapshot of the involved actors.
    record_history(list(existing.values()), user=user, reason=REASON)
