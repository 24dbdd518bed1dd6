"""The creditor's escalation policies: list, read (`default`: the creditor's default) and
create or replace one whole (PUT), validated and versioned."""

from litestar import Controller, Response, get, put
from litestar.params import FromPath, JSONBody

from api.http.auth import requires
from api.http.deps import CallerDep, IfMatch, PortsDep, etag, expected_version, operation
from api.http.problems import ProblemException
from api.http.schemas.policies import PolicyList, PolicyOut, PolicyPut
from domain.services import policies


class PolicyController(Controller):
    path = "/v1/policies"
    tags = ["policies"]

    @get("/", **operation("ListPolicies", 401, 403), guards=[requires("read")],
         summary="Your escalation policies, by id (the shipped ladder `default` included)")
    def list_policies(self, caller: CallerDep, ports: PortsDep) -> PolicyList:
        return PolicyList(items=[PolicyOut.of(p)
                                 for p in policies.list_policies(caller, ports)])

    @get("/{policy_id:str}", **operation("ReadPolicy", 401, 403, 404),
         guards=[requires("read")],
         summary="A policy; `default` is your default one (the shipped ladder, version 1, "
         "until you change it)")
    def read(self, policy_id: FromPath[str], caller: CallerDep,
             ports: PortsDep) -> Response[PolicyOut]:
        policy = policies.get_policy(policy_id, caller, ports)
        return Response(PolicyOut.of(policy), headers={"ETag": etag(policy.version)})

    @put("/{policy_id:str}",
         **operation("PutPolicy", 400, 401, 403, 404, 409, 412, 413, 422, 428),
         guards=[requires("admin")],
         summary="Create a policy (no If-Match) or replace it (If-Match: the ETag you read); "
         "a change makes a new version, claims keep the version they started with")
    def put(self, policy_id: FromPath[str], data: JSONBody[PolicyPut], caller: CallerDep,
            ports: PortsDep, if_match: IfMatch = None) -> Response[PolicyOut]:
        expected: policies.ExpectedVersion = None
        if if_match:
            version = expected_version(if_match)
            expected = "*" if version is None else version
        draft = policies.PolicyDraft(steps=tuple(s.to_domain() for s in data.steps),
                                     name=data.name, default=data.default)
        try:
            policy = policies.put_policy(policy_id, draft, expected, caller, ports)
        except policies.VersionRequired as missing:
            raise ProblemException(428, "if-match-required", str(missing)) from None
        return Response(PolicyOut.of(policy), headers={"ETag": etag(policy.version)})
