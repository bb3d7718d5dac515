from django.urls import path

from . import catalogue, views

urlpatterns = [
    path("mapy/nova/", views.map_builder, name="map_new"),
    path("mapy/<int:pk>/", views.map_view, name="map"),
    path("mapy/<int:pk>/export/", views.map_export, name="map_export"),
    path("mapy/<int:pk>/upravit/", views.map_builder, name="map_edit"),
    path("mapy/<int:pk>/vyradit/", views.map_retire, name="map_retire"),
    path("mapy/<int:pk>/aktori/<int:actor_pk>/", views.actor_card, name="map_actor"),
]

urlpatterns += [
    path("platformy/", catalogue.platform_list, name="platforms"),
    path("platformy/<int:pk>/", catalogue.platform_detail, name="platform"),
    path("potreby/", catalogue.need_tree, name="needs"),
]
