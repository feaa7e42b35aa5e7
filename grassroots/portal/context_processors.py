def shell(request):
    """What the layout needs on every page: the user's grants for the area switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "shell_grants": user.grants_cached(),
        "shell_active_area": getattr(user, "active_area_path", None),
    }
