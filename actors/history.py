"""History of bulk writes: what django-simple-history records per save, for many rows at once.

QuerySet.update(), bulk_create() and raw deletes send no signals, so the bulk services record
the history themselves, with the many-to-many snapshot each record carries, in a fixed number of
queries however many rows there are.
"""

from collections import defaultdict

from django.db import models
from django.utils import timezone


def record_history(objs: list[models.Model], *, user, reason: str, history_type: str = "~") -> None:
    """One historical record per object ("+" added, "~" changed, "-" deleted) by `user`.

    Effects: one INSERT of the records, and per many-to-many field of the history one SELECT
    of the current links and one INSERT of their snapshot.
    """
    if not objs:
        return
    model = type(objs[0])
    history_model = model.history.model
    now = timezone.now()
    tracked = history_model.tracked_fields
    # The reason column is varchar(100); a long characteristic name must not break the action.
    reason = str(reason)[: history_model._meta.get_field("history_change_reason").max_length]
    records = history_model.objects.bulk_create(
        history_model(
            history_date=now,
            history_user=user,
            history_change_reason=reason,
            history_type=history_type,
            **{field.attname: getattr(obj, field.attname) for field in tracked},
        )
        for obj in objs
    )
    record_of = {obj.pk: record for obj, record in zip(objs, records, strict=True)}
    for field in history_model._history_m2m_fields:
        through = field.remote_field.through
        own = field.m2m_field_name()
        links = defaultdict(list)
        for link in through.objects.filter(**{f"{own}_id__in": list(record_of)}):
            links[getattr(link, f"{own}_id")].append(link)
        snapshot_model = getattr(history_model, field.name).model
        snapshot_model.objects.bulk_create(
            snapshot_model(
                history=record_of[owner],
                **{f.attname: getattr(link, f.attname) for f in through._meta.fields},
            )
            for owner, owner_links in links.items()
            for link in owner_links
        )


def restored_m2m_initial(instance: models.Model) -> dict[str, list[int]]:
    """For a record rebuilt from history (the revert form): its many-to-many values then.

    django-simple-history's revert shows today's links in the form; the snapshot each history
    record keeps of its many-to-many fields is what the form should start from.
    """
    record = getattr(instance, "_history", None)
    if record is None:
        return {}
    initial = {}
    for field in getattr(record, "_history_m2m_fields", []):
        target = field.m2m_reverse_field_name()
        initial[field.name] = [
            getattr(row, f"{target}_id") for row in getattr(record, field.name).all()
        ]
    return initial
