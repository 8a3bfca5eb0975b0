#!/usr/bin/env python3
"""A small, flawed Maelstrom lin-kv node in Python 3, speaking leaderlog's ticks extension.

The same design as async-leader.mjs: n1 starts as leader, acknowledges writes at once and replicates
them afterwards; a follower that hears from no leader for a few ticks makes itself leader of the next
term. Followers forward client requests to the leader they know, keeping the client's src. It loses
acknowledged writes when the leader dies before replicating, and a cut-off leader keeps leading
beside the new one. Nothing is kept on disk.

    leaderlog test --node "python3 examples/maelstrom/async_leader.py" --nodes 3
"""
import json
import sys

node = {"id": "", "peers": [], "role": "follower", "term": 0, "leader": None, "quiet": 0, "patience": 3}
store = {}
next_msg_id = [1]


def send(dest, body, src=None):
    message = {"src": src or node["id"], "dest": dest, "body": {"msg_id": next_msg_id[0], **body}}
    next_msg_id[0] += 1
    print(json.dumps(message), flush=False)


def reply(request, body):
    send(request["src"], {**body, "in_reply_to": request["body"]["msg_id"]})


def apply(body):
    key, kind = body["key"], body["type"]
    value = store.get(key)
    if kind == "read":
        return {"type": "error", "code": 20, "text": "no such key"} if value is None else {"type": "read_ok", "value": value}
    if kind == "write":
        store[key] = body["value"]
        return {"type": "write_ok"}
    if kind == "append":
        store[key] = (value or []) + [body["value"]]
        return {"type": "append_ok"}
    if kind == "cas":
        if value != body["from"]:
            return {"type": "error", "code": 22, "text": "expected %s, found %s" % (body["from"], value)}
        store[key] = body["to"]
        return {"type": "cas_ok"}
    return {"type": "error", "code": 10, "text": "no " + kind}


def handle(message):
    body = message["body"]
    kind = body["type"]
    if kind == "init":
        node["id"] = body["node_id"]
        node["peers"] = [n for n in body["node_ids"] if n != node["id"]]
        node["patience"] = 2 + int(node["id"][1:])
        if node["id"] == body["node_ids"][0]:
            node.update(role="leader", term=1, leader=node["id"])
        reply(message, {"type": "init_ok", "ticks": True, "roles": True})
    elif kind == "tick":
        if node["role"] == "leader":
            for peer in node["peers"]:
                send(peer, {"type": "heartbeat", "term": node["term"]})
        else:
            node["quiet"] += 1
            if node["quiet"] > node["patience"]:
                node.update(role="leader", term=node["term"] + 1, leader=node["id"], quiet=0)
    elif kind == "heartbeat":
        if body["term"] >= node["term"]:
            node.update(role="follower", term=body["term"], leader=message["src"], quiet=0)
    elif kind == "replicate":
        if body["term"] >= node["term"]:
            apply(body["op"])
    elif kind in ("read", "write", "cas", "append"):
        if node["role"] == "leader":
            answer = apply(body)
            reply(message, answer)
            if kind != "read" and answer["type"] != "error":
                for peer in node["peers"]:
                    send(peer, {"type": "replicate", "term": node["term"], "op": body})
        elif node["leader"] is not None:
            send(node["leader"], body, src=message["src"])
        else:
            reply(message, {"type": "error", "code": 11, "text": "no leader known"})


for line in sys.stdin:
    if not line.strip():
        continue
    handle(json.loads(line))
    print(json.dumps({"type": "idle", "role": node["role"], "epoch": node["term"]}), flush=True)
