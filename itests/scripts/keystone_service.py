"""Registers a service in the Keystone of keystone.sh, idempotently: its user (service and admin
roles in project service) and its catalog entry with public, internal and admin endpoints.

usage: keystone_service.py KEYSTONE_URL USER PASSWORD SERVICE_NAME SERVICE_TYPE ENDPOINT_URL
"""
import json
import sys
import urllib.error
import urllib.request

ks, user, password, name, kind, endpoint = sys.argv[1:7]


def call(method, path, body=None, token=None):
    req = urllib.request.Request(ks + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"X-Auth-Token": token} if token else {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.headers, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        if e.code == 409:
            return e.headers, None
        raise SystemExit(f"keystone_service: {method} {path} -> {e.code} {e.read()[:300]}")


headers, _ = call("POST", "/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": "admin", "domain": {"id": "default"}, "password": "adminpw"}}}, "scope": {"project": {"name": "admin",
    "domain": {"id": "default"}}}}})
admin = headers["X-Subject-Token"]


def one(collection, query):
    _, b = call("GET", f"/{collection}?{query}", token=admin)
    return b[collection][0]["id"] if b[collection] else None


uid = one("users", "name=" + user)
if uid is None:
    _, b = call("POST", "/users", {"user": {"name": user, "domain_id": "default", "password": password}}, admin)
    uid = b["user"]["id"]
project = one("projects", "name=service")
for role in ("service", "admin"):
    call("PUT", f"/projects/{project}/users/{uid}/roles/{one('roles', 'name=' + role)}", token=admin)
sid = one("services", "type=" + kind)
if sid is None:
    _, b = call("POST", "/services", {"service": {"name": name, "type": kind}}, admin)
    sid = b["service"]["id"]
_, b = call("GET", f"/endpoints?service_id={sid}", token=admin)
for e in b["endpoints"]:
    call("DELETE", f"/endpoints/{e['id']}", token=admin)
for interface in ("public", "internal", "admin"):
    call("POST", "/endpoints", {"endpoint": {"service_id": sid, "interface": interface, "url": endpoint,
                                             "region_id": "RegionOne"}}, admin)
