import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog
from simple_history.models import HistoricalChanges

OUR_APPS = ("needs", "actors", "platforms", "network")
# Labels that are the same word in Czech and English.
SAME_IN_BOTH = {"IČO", "web", "online", "e-mail", "text"}


def model_labels():
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if issubclass(model, HistoricalChanges):
                continue  # labelled by django-simple-history's own catalogue
            yield model, "verbose_name", model._meta.verbose_name
            yield model, "verbose_name_plural", model._meta.verbose_name_plural
            for field in model._meta.get_fields():
                if field.concrete and not field.auto_created:
                    yield model, field.name, field.verbose_name


@pytest.mark.parametrize(("model", "name", "label"), list(model_labels()))
def test_model_label_translated_to_czech(model, name, label):
    with translation.override("en"):
        english = str(label)
    with translation.override("cs"):
        czech = str(label)

    assert english in SAME_IN_BOTH or czech != english, f"{model.__name__}.{name}: {english}"


def test_choice_labels_translated_to_czech():
    from actors.models import Actor
    from needs.models import Focus
    from platforms.models import PlatformMembership

    with translation.override("cs"):
        labels = [
            str(Focus.BOTH.label),
            str(Actor.Status.ENDED.label),
            str(PlatformMembership.Role.GUEST.label),
        ]

    assert labels == ["prevence i intervence", "ukončený", "přizvaný host"]


def test_english_is_the_second_language():
    from needs.models import NeedArea

    with translation.override("en"):
        assert str(NeedArea._meta.verbose_name) == "need area"


def test_pages_are_czech_whatever_the_browser_asks(client, db):
    response = client.get("/prihlaseni/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "cs"
    assert "Přihlásit" in response.content.decode()


def test_language_switcher_turns_pages_english(client, db):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/prihlaseni/"})
    response = client.get("/prihlaseni/")

    assert switched.status_code == 302
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_admin_javascript_strings_are_czech():
    """The two-box selector (a user's groups, an actor's lists) speaks Czech: Django's own
    Czech catalogue lacks its newer strings, ours (locale/cs, djangojs) adds them."""
    script = Path(django.contrib.admin.__file__).parent / "static/admin/js/SelectFilter2.js"
    # gettext('...') and gettext("..."), not pgettext or ngettext.
    strings = re.findall(
        r"""\bgettext\((?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")""", script.read_text()
    )
    messages = [
        (single or double).replace("\\'", "'").replace('\\"', '"') for single, double in strings
    ]
    catalogue = DjangoTranslation(
        "cs",
        domain="djangojs",
        localedirs=JavaScriptCatalog().get_paths(["django.contrib.admin"]),
    )

    assert len(messages) > 10
    untranslated = [m for m in messages if catalogue.gettext(m) == m]
    assert untranslated == []
    assert catalogue.gettext("Choose all %s") == "Vybrat vše (%s)"


def test_admin_inline_and_selector_texts_are_good_czech(coordinator_client, db):
    from django.urls import reverse

    from tests.factories import ActorFactory

    actor = ActorFactory()
    page = coordinator_client.get(reverse("admin:actors_actor_change", args=[actor.pk]))
    catalogue = coordinator_client.get(reverse("admin:jsi18n"))

    # In the inline's JSON attribute, escaped: "Přidat další: Kontaktní osoba".
    added = "addText&quot;: &quot;P\\u0159idat dal\\u0161\\u00ed: Kontaktn\\u00ed osoba&quot;"
    assert added in page.content.decode()
    assert '"Choose all %s": "Vybrat v\\u0161e (%s)"' in catalogue.content.decode()


def test_every_text_of_the_admin_templates_reads_in_czech():
    """Django's Czech catalogue lags behind its admin templates; ours fills the gaps."""
    import re
    from pathlib import Path

    import django.contrib.admin
    from django.utils.translation.trans_real import DjangoTranslation

    templates = Path(django.contrib.admin.__file__).parent / "templates"
    texts = {
        match.group(1)
        for path in templates.rglob("*.html")
        for match in re.finditer(r"{% (?:translate|trans) ['\"]([^'\"]+)['\"] %}", path.read_text())
    }
    catalogue = DjangoTranslation("cs")

    assert len(texts) > 90
    assert sorted(t for t in texts if catalogue.gettext(t) == t) == []
