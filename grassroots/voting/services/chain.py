"""The ballot chain of one vote (docs/voting.md, "Ballot chain"), after the audit chain (grassroots/audit):

    content_hash = sha256(canonical JSON of the ballot: vote, seq, chosen option ids, channel, voter and
                   household when open, who entered it and the witness (and the witness's account when
                   named), the receipt's digest)
    hash         = sha256(prev_hash + content_hash)         prev_hash = the hash of ballot seq - 1

Ballots are appended while the vote's row is locked, so the chain cannot fork and `seq` has no gaps; when
the vote closes its last link is kept on the vote (`chain_seq`, `chain_head`). `verify_ballot_chain` walks
the ballots in order and names the first that does not hold: changed content or choices, a deleted or
inserted ballot (seq gap, prev_hash mismatch), a cut tail (the closed vote's head disagrees).
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.utils.translation import gettext as _

from grassroots.voting.models import Ballot, Vote

GENESIS = "0" * 64


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_code(length: int = 10) -> str:
    """A code a person can read out and type: upper-case letters and digits without 0/O, 1/I."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def code_digest(code: str) -> str:
    return sha("".join(code.split()).upper())


def content_hash(ballot: Ballot, option_ids) -> str:
    data = {
        "vote": ballot.vote_id,
        "seq": ballot.seq,
        "options": sorted(option_ids),
        "channel": ballot.channel,
        "voter": ballot.voter_id,
        "household": ballot.household_id,
        "entered_by": ballot.entered_by_id,
        "witness": ballot.witness,
        "receipt": ballot.receipt_digest,
    }
    if ballot.witness_user_id is not None:  # only then: ballots from before the field keep their hashes
        data["witness_user"] = ballot.witness_user_id
    return sha(json.dumps(data, sort_keys=True))


def link_hash(prev_hash: str, content: str) -> str:
    return sha(prev_hash + content)


def head(vote: Vote) -> tuple[int, str]:
    """(seq, hash) of the vote's last ballot. Call with the vote's row locked."""
    last = Ballot.objects.filter(vote=vote).order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


def verify_ballot_chain(vote: Vote) -> str | None:
    """None when every ballot of `vote` holds; else what is wrong, naming the first ballot that does not."""
    expected_seq, prev = 1, GENESIS
    ballots = Ballot.objects.filter(vote=vote).order_by("seq").prefetch_related("choices")
    for ballot in ballots:
        if ballot.seq != expected_seq:
            return _("第 %(seq)s 张选票缺失。") % {"seq": expected_seq}
        if ballot.prev_hash != prev:
            return _("第 %(seq)s 张选票与前一张接不上。") % {"seq": ballot.seq}
        content = content_hash(ballot, [c.option_id for c in ballot.choices.all()])
        if content != ballot.content_hash or link_hash(prev, content) != ballot.hash:
            return _("第 %(seq)s 张选票的内容被改动。") % {"seq": ballot.seq}
        prev, expected_seq = ballot.hash, expected_seq + 1
    if vote.chain_head and (vote.chain_seq, vote.chain_head) != (expected_seq - 1, prev):
        return _("投票结束时的最后一张选票是第 %(seq)s 张，现已对不上。") % {"seq": vote.chain_seq}
    return None
