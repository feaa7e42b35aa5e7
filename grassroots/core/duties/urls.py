from django.urls import path

from grassroots.core.duties.views import assignments, offices, tasks, worklist

app_name = "duties"
urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("lists/", tasks.task_list, name="task_list"),
    path("lists/copy/", tasks.copy_list, name="copy_list"),
    path("progress/", tasks.progress, name="progress"),
    path("tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/issue/", tasks.task_issue_draft, name="task_issue_draft"),
    path("tasks/<int:pk>/delete/", tasks.task_delete_draft, name="task_delete_draft"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/breakdown/", assignments.breakdown, name="breakdown"),
    path("assignments/<int:pk>/office/", assignments.assign_office, name="assign_office"),
    path("offices/", offices.offices, name="offices"),
    path("offices/<int:pk>/retire/", offices.office_retire, name="office_retire"),
    path("offices/members/<int:pk>/remove/", offices.office_member_remove, name="office_member_remove"),
    path("offices/workload/", offices.workload, name="office_workload"),
]
