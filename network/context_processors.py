from django.conf import settings


def network(request):
    """The name of the ORP whose network this deployment maps, for every page."""
    return {
        "orp_name": settings.NETWORK_ORP_NAME,
        "region_name": settings.NETWORK_REGION_NAME,
    }
