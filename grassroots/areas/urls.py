from django.urls import path

from grassroots.areas.views import area, party_orgs, transfer, tree

app_name = "areas"
urlpatterns = [
    # the tree (views/tree.py)
    path("", tree.tree, name="tree"),
    path("<int:pk>/children/", tree.children, name="children"),
    path("new/", area.create_root, name="create_root"),
    # one area (views/area.py)
    path("<int:pk>/", area.detail, name="detail"),
    path("<int:pk>/new/", area.create, name="create"),
    path("<int:pk>/edit/", area.edit, name="edit"),
    path("<int:pk>/move/", area.move, name="move"),
    path("<int:pk>/move/candidates/", area.move_candidates, name="move_candidates"),
    path("<int:pk>/retire/", area.retire, name="retire"),
    # Party organizations (views/party_orgs.py)
    path("party-orgs/", party_orgs.org_list, name="party_org_list"),
    path("party-orgs/<int:pk>/", party_orgs.org_detail, name="party_org_detail"),
    path("<int:area_pk>/party-orgs/new/", party_orgs.org_create, name="party_org_create"),
    path("party-orgs/<int:pk>/edit/", party_orgs.org_edit, name="party_org_edit"),
    path("party-orgs/<int:pk>/retire/", party_orgs.org_retire, name="party_org_retire"),
    # xlsx import and export (views/transfer.py)
    path("import/", transfer.import_upload, name="import"),
    path("import/template/", transfer.import_template, name="import_template"),
    # an import's progress, report and rejected rows: imports:detail, imports:rejected (grassroots.imports)
    path("export/", transfer.export, name="export"),
]
