from django.urls import path

from dealtrack.deals.views import board, catalogs, listing, moving, page

app_name = "deals"
urlpatterns = [
    path("board/", board.board, name="board"),
    path("board/column/", board.column, name="board_column"),
    path("deals/", listing.deal_list, name="list"),
    path("deals/bulk/", listing.bulk, name="bulk"),
    path("deals/new/", page.create, name="create"),
    path("deals/<int:pk>/", page.detail, name="detail"),
    path("deals/<int:pk>/edit/", page.edit, name="edit"),
    path("deals/<int:pk>/delete/", page.delete, name="delete"),
    path("deals/<int:pk>/move/", moving.move, name="move"),
    path("deals/<int:pk>/activities/", page.log_activity, name="log_activity"),
    path("deals/<int:pk>/cell/<str:field>/", listing.cell, name="cell"),
    path("settings/lost-reasons/", catalogs.lost_reasons, name="lost_reasons"),
    path("settings/sources/", catalogs.sources, name="sources"),
    path("settings/tags/", catalogs.tags, name="tags"),
]
