"""Reading a page as the server renders it (a tree of Dash components), for the tests that check its figures."""


def find(component, component_id):
    """The component with ``component_id`` in a rendered page, or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = find(child, component_id)
            if found is not None:
                return found
    return None
