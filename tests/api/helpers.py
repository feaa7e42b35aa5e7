def names(response) -> set[str]:
    """The `name` of every row of a paginated list answer."""
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}
