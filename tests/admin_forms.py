"""Turn an admin change page into the POST data its Save button would send."""


def _field_data(form, data: dict) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        if field.show_hidden_initial:
            _put(data, field, bound.html_initial_name, bound.initial)
        _put(data, field, bound.html_name, bound.value())


def _put(data: dict, field, key: str, value) -> None:
    if getattr(field.widget, "input_type", None) == "checkbox":
        if value:
            data[key] = "on"
    elif isinstance(value, list | tuple):
        data[key] = [str(v) for v in value]
    elif value is None:
        data[key] = ""
    else:
        data[key] = str(value)


def change_form_data(response, **changes) -> dict:
    """The main form and every inline formset, as rendered, with `changes` applied."""
    data: dict = {}
    _field_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _field_data(formset.management_form, data)
        for form in formset.forms:
            _field_data(form, data)
    data.update(changes)
    return data
