"""factory_boy factories for every model of needs, actors and platforms, and for users.

Defaults are plain and valid: names come from sequences, optional fields stay empty, dates are
fixed. The six need areas and the four platform types are reference data from the data
migrations: their factories return the seeded row and never create another.
"""

import datetime
import functools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from actors.models import (
    Actor,
    ActorType,
    Characteristic,
    CharacteristicOption,
    CharacteristicValue,
    ContactPerson,
    LifeSituation,
    LocalPractice,
    Municipality,
    Note,
    Organisation,
    Post,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
    Topic,
)
from needs.models import Activity, Focus, FulfilmentSign, Need, NeedArea, Risk
from network.models import Map
from platforms.models import (
    ParticipantGroup,
    Platform,
    PlatformMembership,
    PlatformType,
)

TEST_PASSWORD = "heslo-pro-testy"


@functools.cache
def _hashed(password: str) -> str:
    # The default hasher takes a quarter of a second; one hash per password is enough.
    return make_password(password)


def ico_with_check_digit(first_seven: str) -> str:
    """A valid IČO: the seven given digits and their mod-11 check digit."""
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    return f"{first_seven}{(11 - total % 11) % 10}"


class UserFactory(DjangoModelFactory):
    """A user with TEST_PASSWORD; `groups` takes role names, e.g. [roles.CASE_MANAGER]."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"uzivatel{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cz")
    password = factory.django.Password(TEST_PASSWORD, transform=_hashed)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=name) for name in extracted])


# --- needs ---------------------------------------------------------------------------------


class NeedAreaFactory(DjangoModelFactory):
    """Returns one of the six seeded need areas by code; refuses to make a seventh."""

    class Meta:
        model = NeedArea

    code = "BEZPECI"

    @classmethod
    def _create(cls, model_class, code, **kwargs):
        if kwargs:
            raise TypeError(f"need areas are reference data; cannot set {sorted(kwargs)}")
        return model_class.objects.get(code=code)


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need

    area = factory.SubFactory(NeedAreaFactory)
    name = factory.Sequence(lambda n: f"Potřeba {n}")


class FulfilmentSignFactory(DjangoModelFactory):
    class Meta:
        model = FulfilmentSign

    need = factory.SubFactory(NeedFactory)
    text = factory.Sequence(lambda n: f"Podoba naplňování {n}")


class RiskFactory(DjangoModelFactory):
    class Meta:
        model = Risk

    need = factory.SubFactory(NeedFactory)
    text = factory.Sequence(lambda n: f"Riziko nenaplnění {n}")


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    need = factory.SubFactory(NeedFactory)
    name = factory.Sequence(lambda n: f"Činnost {n}")
    focus = Focus.PREVENTION


# --- actors: vocabularies -------------------------------------------------------------------


class ActorTypeFactory(DjangoModelFactory):
    class Meta:
        model = ActorType

    name = factory.Sequence(lambda n: f"Typ aktéra {n}")


class SocialServiceKindFactory(DjangoModelFactory):
    class Meta:
        model = SocialServiceKind

    name = factory.Sequence(lambda n: f"Druh služby {n}")


class ResortFactory(DjangoModelFactory):
    class Meta:
        model = Resort

    code = factory.Sequence(lambda n: f"resort-{n}")
    name = factory.Sequence(lambda n: f"Resort {n}")


class ServiceFormFactory(DjangoModelFactory):
    class Meta:
        model = ServiceForm

    code = factory.Sequence(lambda n: f"forma-{n}")
    name = factory.Sequence(lambda n: f"Forma {n}")


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = TargetGroup

    name = factory.Sequence(lambda n: f"Cílová skupina {n}")
    level = TargetGroup.Level.WHOM


class LifeSituationFactory(DjangoModelFactory):
    class Meta:
        model = LifeSituation

    name = factory.Sequence(lambda n: f"Životní situace {n}")


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Téma {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Obec {n}")


# --- actors: organisations, actors and what hangs on them -----------------------------------


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organizace {n}")
    ico = factory.Sequence(lambda n: ico_with_check_digit(f"{9_000_000 + n:07d}"))


class ActorFactory(DjangoModelFactory):
    """An active service without organisation, in the need area BEZPEČÍ."""

    class Meta:
        model = Actor

    class Params:
        ended = factory.Trait(status=Actor.Status.ENDED, ended_on=datetime.date(2024, 6, 30))

    name = factory.Sequence(lambda n: f"Aktér {n}")
    kind = Actor.Kind.SERVICE
    primary_need_area = factory.SubFactory(NeedAreaFactory)
    focus = Focus.PREVENTION
    status = Actor.Status.ACTIVE


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Kontaktní osoba {n}")


class NoteFactory(DjangoModelFactory):
    """A private note (the model's default visibility)."""

    class Meta:
        model = Note

    actor = factory.SubFactory(ActorFactory)
    text = factory.Sequence(lambda n: f"Poznatek {n}")
    visibility = Note.Visibility.PRIVATE


class CharacteristicFactory(DjangoModelFactory):
    class Meta:
        model = Characteristic

    name = factory.Sequence(lambda n: f"Znak {n}")
    kind = Characteristic.Kind.TEXT


class CharacteristicOptionFactory(DjangoModelFactory):
    class Meta:
        model = CharacteristicOption

    characteristic = factory.SubFactory(CharacteristicFactory, kind=Characteristic.Kind.CHOICE)
    name = factory.Sequence(lambda n: f"Možnost {n}")


class CharacteristicValueFactory(DjangoModelFactory):
    """A value of a text characteristic."""

    class Meta:
        model = CharacteristicValue

    actor = factory.SubFactory(ActorFactory)
    characteristic = factory.SubFactory(CharacteristicFactory)
    text = "hodnota"


class PostFactory(DjangoModelFactory):
    """A project post valid from 1 January 2025, with no end."""

    class Meta:
        model = Post

    actor = factory.SubFactory(ActorFactory)
    kind = Post.Kind.PROJECT
    title = factory.Sequence(lambda n: f"Příspěvek {n}")
    valid_from = datetime.date(2025, 1, 1)


class LocalPracticeFactory(DjangoModelFactory):
    class Meta:
        model = LocalPractice

    activity = factory.SubFactory(ActivityFactory)
    description = "Praxe v lokalitě"


# --- platforms ------------------------------------------------------------------------------


class PlatformTypeFactory(DjangoModelFactory):
    """Returns one of the four seeded platform types by code; refuses to make a fifth."""

    class Meta:
        model = PlatformType

    code = 1

    @classmethod
    def _create(cls, model_class, code, **kwargs):
        if kwargs:
            raise TypeError(f"platform types are reference data; cannot set {sorted(kwargs)}")
        return model_class.objects.get(code=code)


class ParticipantGroupFactory(DjangoModelFactory):
    class Meta:
        model = ParticipantGroup

    code = factory.Sequence(lambda n: f"skupina-{n}")
    name = factory.Sequence(lambda n: f"Skupina účastníků {n}")


class PlatformFactory(DjangoModelFactory):
    """An active platform of type 1."""

    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"Platforma {n}")
    platform_type = factory.SubFactory(PlatformTypeFactory)
    status = Platform.Status.ACTIVE


class PlatformMembershipFactory(DjangoModelFactory):
    class Meta:
        model = PlatformMembership

    platform = factory.SubFactory(PlatformFactory)
    actor = factory.SubFactory(ActorFactory)
    role = PlatformMembership.Role.MEMBER


# --- network --------------------------------------------------------------------------------


class MapFactory(DjangoModelFactory):
    """An active map with a few columns and no audience; pass `audience_groups=[role names]`."""

    class Meta:
        model = Map
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Mapa {n}")
    columns = ["actor_type", "municipality", "phone", "target_groups", "contacts"]

    @factory.post_generation
    def audience_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_groups.set([Group.objects.get(name=name) for name in extracted])

    @factory.post_generation
    def audience_users(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_users.set(extracted)
