"""The three everyday roles of DOMAIN.md §1, as auth groups created by a data migration."""

from django.utils.translation import gettext_lazy as _

COORDINATOR = "Koordinátor"
CASE_MANAGER = "Case manažer"
ACTOR_REPRESENTATIVE = "Zástupce aktéra"

ROLE_LABELS = {
    COORDINATOR: _("Network coordinator"),
    CASE_MANAGER: _("Case manager"),
    ACTOR_REPRESENTATIVE: _("Actor representative"),
}


def role_of(user) -> str | None:
    """The name of the user's role group, the coordinator's first; None for no role."""
    if not user.is_authenticated:
        return None
    names = {g.name for g in user.groups.all()}
    for role in (COORDINATOR, CASE_MANAGER, ACTOR_REPRESENTATIVE):
        if role in names:
            return role
    return None


def is_coordinator(user) -> bool:
    """Coordinators (and the technical superuser) edit the network in the workspace."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_is_coordinator"):  # asked several times per admin request
        user._is_coordinator = user.is_superuser or user.groups.filter(name=COORDINATOR).exists()
    return user._is_coordinator
