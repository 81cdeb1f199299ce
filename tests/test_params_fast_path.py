"""The query-parameter fast path (api/params.py FastQueryLoader) against the
full marshmallow load it stands in for.

Over generated queries (known and unknown names, valid and invalid values,
repeats, empty values, control characters), for every query schema the app
uses: whenever the fast path answers, its answer is exactly what the schema
loads; when the schema refuses a query, the fast path never answered it."""

from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, fields
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from policy_ledger.api.errors import Problem
from policy_ledger.api.params import CommaList, OneOfSuggesting, QuerySchema


def all_query_schemas(app) -> list[QuerySchema]:
    """An instance of every QuerySchema subclass the app's modules define."""
    seen, queue = [], list(QuerySchema.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        seen.append(cls)
    return [cls() for cls in sorted(seen, key=lambda c: c.__name__)]


def full_load(schema: QuerySchema, args: MultiDict):
    """What webargs and marshmallow make of `args`, or REFUSED."""
    try:
        return schema.load(MultiDictProxy(args, schema))
    except (ValidationError, Problem):
        return REFUSED


REFUSED = object()


def values_for(field: fields.Field) -> st.SearchStrategy[str]:
    """Plausible and implausible raw values for one parameter."""
    inner = field.inner if isinstance(field, CommaList) else field
    choices = next((v.choices for v in inner.validators if isinstance(v, OneOfSuggesting)), ["x"])
    good = st.sampled_from(choices)
    return st.one_of(
        good,
        st.lists(good, min_size=1, max_size=3).map(",".join),
        st.lists(good, min_size=1, max_size=2).map(lambda v: " , ".join(v) + ","),
        st.integers(-3, 600).map(str),
        st.sampled_from(["0", "1", "50", "500", "501", "007", "1.5", "2.50", "1e3", "-0"]),
        st.sampled_from(["2023-02-23", "2023-02-30", "2023-2-3", "20230223", "2023-02-23x"]),
        st.sampled_from(["", ",", " ", "true", "false", "nan", "inf", "a\x00b", "x" * 501]),
        st.text(max_size=8),
    )


@st.composite
def queries(draw, schema: QuerySchema) -> MultiDict:
    names = [f.data_key or n for n, f in schema.fields.items()]
    pairs = []
    for name in draw(st.lists(st.sampled_from([*names, "nope", "Type"]), max_size=5)):
        field = schema.fields.get(name) or fields.String()
        for _ in range(draw(st.integers(1, 2))):
            pairs.append((name, draw(values_for(field))))
    return MultiDict(pairs)


@pytest.fixture(scope="module")
def schemas(app):
    found = all_query_schemas(app)
    # The collection schemas of every resource, search, stats and the items.
    assert len(found) >= 10, [type(s).__name__ for s in found]
    return found


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fast_path_answers_only_what_the_schema_loads_identically(schemas, data, app):
    schema = data.draw(st.sampled_from(schemas))
    args = data.draw(queries(schema))
    with app.test_request_context():
        fast = schema.fast_load(args)
        full = full_load(schema, args)
    if fast is not None:
        assert full is not REFUSED, (type(schema).__name__, args, fast)
        assert fast == full, (type(schema).__name__, args)


@pytest.mark.parametrize(
    "query",
    [
        "type=fine&jurisdiction=US&sort=date&page_size=50",
        "type=fine,ban&type=lawsuit&date_from=2020-01-01&date_to=2024-12-31",
        "amount_eur_min=1000000.5&sort=-amount_eur&fields=id,title",
        "",
    ],
)
def test_ordinary_list_queries_take_the_fast_path(app, query):
    # Without this the property above would hold for a fast path that never answers.
    args = MultiDict(parse_qsl(query))
    schema = next(s for s in all_query_schemas(app) if type(s).__name__ == "ActionsQuerySchema")
    with app.test_request_context():
        fast = schema.fast_load(args)
        assert fast is not None
        assert fast == full_load(schema, args)


@pytest.mark.parametrize(
    "query",
    ["nope=1", "sort=date&sort=id", "type=", "page_size=0", "date_from=2023-02-30", "q=a%00"],
)
def test_anything_unusual_is_left_to_the_full_load(client, query):
    # The full load answers with its precise problem; the fast path stays out.
    response = client.get(f"/v1/actions?{query}")
    assert response.status_code in (400, 422), response.get_data(True)
    assert response.mimetype == "application/problem+json"
