"""The actor sheet's django-import-export resource on its own default path (admin, baseline)."""

import pytest
import tablib

from actors.models import Actor
from actors.resources import ActorResource
from needs.models import NeedArea


@pytest.mark.django_db
def test_default_import_path_reads_the_sheets_czech_labels():
    dataset = tablib.Dataset(
        headers=["ID", "Název aktéra", "Zřizovatel", "Zaměření", "On-line", "Krizová síť",
                 "Primární oblast potřeb", "Naplněnost kapacity"],
    )  # fmt: skip
    dataset.append(["", "Spolek Jiskra", "NNO", "prevence i intervence", "ano", "ne", "VZTAHY",
                    "omezená kapacita (2. 3. 2026)"])  # fmt: skip

    result = ActorResource().import_data(dataset, dry_run=False, raise_errors=True)

    assert not result.has_errors()
    actor = Actor.objects.get(name="Spolek Jiskra")
    assert (actor.founder, actor.focus, actor.online, actor.crisis_network) == (
        "ngo", "both", True, False,
    )  # fmt: skip
    assert actor.primary_need_area == NeedArea.objects.get(code="VZTAHY")
    assert actor.capacity == "limited"


@pytest.mark.django_db
def test_default_import_path_refuses_an_unknown_label():
    dataset = tablib.Dataset(headers=["ID", "Název aktéra", "Zřizovatel", "Primární oblast potřeb"])
    dataset.append(["", "Spolek", "nadace", "VZTAHY"])
    result = ActorResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors() or result.has_errors()
