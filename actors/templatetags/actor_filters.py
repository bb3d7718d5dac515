"""Rendering of the actor list's filters with many choices in one pass."""

from django import template
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def choice_links(choices) -> str:
    """The `<li>` links of a list filter, as the admin's filter.html renders them."""
    return format_html_join(
        "\n",
        '<li{}><a href="{}">{}</a></li>',
        (
            (
                mark_safe(' class="selected"') if choice["selected"] else "",
                iri_to_uri(choice["query_string"]),
                choice["display"],
            )
            for choice in choices
        ),
    )
