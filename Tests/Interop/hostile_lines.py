"""A seeded generator of hostile `tools/call` lines for the differential test.

Each line is raw bytes, written by hand rather than by a JSON library, so it can hold what an adversarial client would
send: duplicate keys, escapes in keys and tool names, raw CR / NEL / U+2028 / U+2029, lookalike and canonically
equivalent keys, numeric strings, JSON inside strings, numbers too big or too precise for a double, deep nesting,
reused and odd ids. Every call carries a nonce (`N000123Z`) in a string argument, so whatever the server ends up
executing can be traced back to the exact line that was sent, whatever id or framing it arrived with.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field

NONCE_PATTERN = re.compile(r"N\d{6}Z")

#: The one `level` the policy lets `configure` set; the generator tries values a double cannot tell from it.
ALLOWED_LEVEL = 1234567890123456789

#: `amount` literals: safe ones, ones over 500, and ones a lenient reader turns into a number over 500.
AMOUNTS = [
    "5", "499.5", "500", "0.1", "5e-324", "-1e400", "-0",
    "501", "1200", "1e3", "1E400", "500.00000000000001", "1234567890123456889",
    '"400"', '"1200"', '" 1200 "', '"1e3"', '"\uff11\uff12\uff10\uff10"', '"1_200"', '"inf"', '"Infinity"',
    '"+1200"', '"nan"', '"1200\\n"', '"\\u0031200"', '"-5"', "[1200]", '{"value":1200}', "true", "null",
    '"\\u00a01200"', '"1200\\u3000"', '"\\u20001200"', '".5e4"', '"5.e3"', '"1_2_0_0"', '"1200.0\\t"', '"-inf"',
]

#: `opts.force` values: false ones, true ones, and spellings a lenient reader takes as true.
FORCES = ["false", "true", '"true"', '"True"', '"TRUE"', '"yes"', '"on"', '"1"', "1", "1.0", '"t"', '"false"', "0", "null", '"Y"', '"ON"', '"oN"']

#: `opts.level` literals: the allowed level, written several ways, and values a double cannot tell apart from it.
LEVELS = [
    str(ALLOWED_LEVEL), str(ALLOWED_LEVEL), "1234567890123456889", "1234567890123456788", f"{ALLOWED_LEVEL}.0",
    "1.234567890123456789e18", "12345678901234567890e-1", f'"{ALLOWED_LEVEL}"', f'" {ALLOWED_LEVEL}"', "1.2345678901234568e18",
]

#: Spellings of `Kind`: the key itself, the Kelvin sign, fullwidth, and escaped forms of each.
KIND_KEYS = ["Kind", "\u212aind", "\\u212aind", "\\u004bind", "\uff2bind", "kind", "Ki\u0301nd"]

#: `path` values for `write_file`: under /safe/, outside it, and lookalikes.
PATHS = ["/safe/{n}.txt", "/etc/{n}", "/SAFE/{n}", "\\u002fsafe/{n}", "\uff0fsafe/{n}", " /safe/{n}", "/safe\\u002f{n}", "//safe/{n}"]

#: `echo` texts: short, over 40 code points, and ones that are few graphemes but many code points.
TEXTS = [
    "{n}", "{n} hello", "{n}" + "x" * 33, "{n}" + "x" * 32, "{n}a" + "\u0301" * 40, "{n}" + "e\u0301" * 20,
    "{n}" + "\U0001F469\u200D\U0001F469\u200D\U0001F467" * 8, "{n}\u2028\u2029\u0085", "{n}\r\n",
]

#: Raw separators that some reader of the line might split on.
BREAKS = ["\r", "\u0085", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


@dataclass
class Case:
    """One line to send, what kind of attack it is, and the nonces of the calls it holds."""

    label: str
    line: bytes
    nonces: list[str] = field(default_factory=list)


def dumps(value: object, rng: random.Random) -> str:
    return json.dumps(value, ensure_ascii=rng.random() < 0.5, separators=(",", ":"))


def escape_some(text: str, rng: random.Random, rate: float = 0.3) -> str:
    """JSON string content for `text` with some ASCII letters written as `\\u00XX` (the same string to a parser)."""
    return "".join(f"\\u{ord(c):04x}" if c.isascii() and c.isalnum() and rng.random() < rate else c for c in text)


class HostileLines:
    """Builds the lines. Not thread-safe; one instance per test run."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sequence = 0
        self.request_id = 100

    def nonce(self) -> str:
        self.sequence += 1
        return f"N{self.sequence:06d}Z"

    def next_id(self) -> str:
        self.request_id += 1
        return str(self.request_id)

    # Arguments of each tool, as JSON text.

    def members(self, tool: str, nonce: str) -> list[str]:
        """The members (`"key":value`) of a call's arguments, as JSON text."""
        rng = self.rng
        if tool == "transfer":
            return [f'"amount":{rng.choice(AMOUNTS)}', f'"to":{dumps(f"acct-{nonce}", rng)}']
        if tool == "configure":
            return [f'"opts":{self.options(nonce)}']
        if tool == "delete_record":
            return [f'"id":{dumps(nonce, rng)}']
        if tool == "write_file":
            return ['"path":"%s"' % rng.choice(PATHS).format(n=nonce), f'"content":{dumps(f"c-{nonce}", rng)}']
        return [f'"text":{dumps(rng.choice(TEXTS).format(n=nonce), rng)}']

    def arguments(self, tool: str, nonce: str) -> str:
        return "{" + ",".join(self.members(tool, nonce)) + "}"

    def options(self, nonce: str) -> str:
        rng = self.rng
        members = [f'"nonce":"{nonce}"']
        if rng.random() < 0.8:
            members.append(f'"level":{rng.choice(LEVELS)}')
        if rng.random() < 0.6:
            members.append(f'"force":{rng.choice(FORCES)}')
        if rng.random() < 0.4:
            first, second = rng.sample(KIND_KEYS, 2)
            members += [f'"{first}":"{rng.choice(["safe", "danger"])}"', f'"{second}":"{rng.choice(["safe", "danger"])}"']
        if rng.random() < 0.2:
            depth = rng.choice([20, 100, 126, 127, 128, 129, 300])
            members.append('"deep":' + "[" * depth + "]" * depth)
        rng.shuffle(members)
        text = "{" + ",".join(members) + "}"
        if rng.random() < 0.3:
            return dumps(text, rng)  # JSON inside a string, which the SDK parses into a dict
        return text

    # Whole lines.

    def call_line(self, request_id: str, name: str, arguments: str, *, method: str = '"tools/call"') -> str:
        return '{"jsonrpc":"2.0","id":%s,"method":%s,"params":{"name":"%s","arguments":%s}}' % (request_id, method, name, arguments)

    def tool(self) -> str:
        return self.rng.choices(["transfer", "configure", "delete_record", "write_file", "echo"], [30, 25, 15, 15, 15])[0]

    def case(self) -> list[Case]:
        """The next one or two lines (id reuse sends two that share an id)."""
        kind = self.rng.choices(
            ["plain", "dup_args", "dup_top", "dup_name", "escaped", "smuggle", "break_between_tokens",
             "break_in_string", "odd_id", "id_reuse", "method_spelling", "invalid_utf8", "trailing", "args_as_string"],
            [20, 8, 8, 6, 10, 10, 6, 4, 6, 6, 4, 4, 3, 3],
        )[0]
        return getattr(self, "make_" + kind)()

    def simple(self, label: str, *, tool: str | None = None, request_id: str | None = None) -> tuple[Case, str, str, str]:
        tool = tool or self.tool()
        nonce = self.nonce()
        arguments = self.arguments(tool, nonce)
        return Case(label, b"", [nonce]), tool, arguments, request_id or self.next_id()

    def finish(self, case: Case, text: str) -> list[Case]:
        case.line = text.encode("utf-8", "surrogatepass")
        return [case]

    def make_plain(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("plain")
        return self.finish(case, self.call_line(request_id, tool, arguments))

    def make_dup_args(self) -> list[Case]:
        """Arguments where one key appears twice with different values, in either order."""
        case, tool, _, request_id = self.simple("duplicate key in arguments")
        members = self.members(tool, case.nonces[0])
        twin = self.rng.choice(self.members(tool, case.nonces[0]))
        members.insert(self.rng.randrange(len(members) + 1), twin)
        return self.finish(case, self.call_line(request_id, tool, "{" + ",".join(members) + "}"))

    def make_dup_top(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("duplicate key at the top level")
        benign_nonce = self.nonce()
        case.nonces.append(benign_nonce)
        benign = '{"name":"echo","arguments":{"text":"%s"}}' % benign_nonce
        hostile = '{"name":"%s","arguments":%s}' % (tool, arguments)
        which = self.rng.randrange(3)
        if which == 0:
            first, second = self.rng.sample([benign, hostile], 2)
            text = '{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":%s,"params":%s}' % (request_id, first, second)
        elif which == 1:
            methods = self.rng.sample(['"ping"', '"tools/call"'], 2)
            text = '{"jsonrpc":"2.0","id":%s,"method":%s,"params":%s,"method":%s}' % (request_id, methods[0], hostile, methods[1])
        else:
            text = '{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":%s,"id":%s}' % (request_id, hostile, self.next_id())
        return self.finish(case, text)

    def make_dup_name(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("duplicate tool name")
        names = self.rng.sample(["echo", tool, "delete_record"], 2)
        text = '{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"%s","arguments":%s,"name":"%s"}}' % (
            request_id, names[0], arguments, names[1])
        return self.finish(case, text)

    def make_escaped(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("escapes in keys and tool name")
        rng = self.rng
        name = escape_some(tool, rng, 0.4)
        keys = ["jsonrpc", "id", "method", "params", "name", "arguments"]
        spelled = {key: escape_some(key, rng, 0.3) for key in keys}
        arguments = re.sub(r'"([A-Za-z]+)":', lambda m: '"%s":' % escape_some(m.group(1), rng, 0.3), arguments)
        text = '{"%s":"2.0","%s":%s,"%s":"%s","%s":{"%s":"%s","%s":%s}}' % (
            spelled["jsonrpc"], spelled["id"], request_id, spelled["method"], escape_some("tools/call", rng, 0.2),
            spelled["params"], spelled["name"], name, spelled["arguments"], arguments)
        return self.finish(case, text)

    def make_smuggle(self) -> list[Case]:
        """A line that holds a second call between raw line breaks that some reader may split on."""
        case, tool, arguments, request_id = self.simple("call smuggled between line breaks", tool=self.rng.choice(
            ["delete_record", "transfer", "configure", "write_file", "echo"]))
        inner = self.call_line(request_id, tool, arguments)
        left, right = self.rng.choice(BREAKS), self.rng.choice(BREAKS)
        if self.rng.random() < 0.5:
            text = '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":%s%s%s}}' % (left, inner, right)
        else:
            outer_nonce = self.nonce()
            case.nonces.append(outer_nonce)
            text = '{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"echo","arguments":{"text":"%s"},"x":%s%s%s}}' % (
                self.next_id(), outer_nonce, left, inner, right)
        case.label += f" ({left!r})"
        return self.finish(case, text)

    def make_break_between_tokens(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("line break between tokens")
        line = self.call_line(request_id, tool, arguments)
        cut = self.rng.choice([m.end() for m in re.finditer(r"[,:{]", line)])
        separator = self.rng.choice(BREAKS + ["\r "])
        case.label += f" ({separator!r})"
        return self.finish(case, line[:cut] + separator + line[cut:])

    def make_break_in_string(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("raw line break inside a string", tool="echo")
        separator = self.rng.choice(BREAKS)
        arguments = arguments.replace(case.nonces[0], case.nonces[0] + separator, 1)
        case.label += f" ({separator!r})"
        return self.finish(case, self.call_line(request_id, tool, arguments))

    def make_odd_id(self) -> list[Case]:
        request_id = self.rng.choice(["1.0", "1e0", "-0", "1E2", "0.5", "123456789012345678901234567890", "1e400", "null", "true",
                                      "{}", "[]", '"1"', '"\\u0031"', '""'])
        case, tool, arguments, _ = self.simple(f"odd id {request_id}", request_id=request_id)
        return self.finish(case, self.call_line(request_id, tool, arguments))

    def make_id_reuse(self) -> list[Case]:
        """Two calls with the same id, sent back to back, so the second arrives while the first is in flight."""
        request_id = self.next_id()
        first = self.simple("id reused while in flight", request_id=request_id)
        second = self.simple("id reused while in flight", request_id=request_id)
        calls = [first, second] + ([self.simple("id reused while in flight", request_id=request_id)] if self.rng.random() < 0.3 else [])
        return [case for call in calls for case in self.finish(call[0], self.call_line(request_id, call[1], call[2]))]

    def make_method_spelling(self) -> list[Case]:
        method = self.rng.choice(['"tools\\/call"', '"tools\\u002fcall"', '"Tools/call"', '"tools/call "', '"tools/call\\u0000"'])
        case, tool, arguments, request_id = self.simple(f"method spelled {method}")
        return self.finish(case, self.call_line(request_id, tool, arguments, method=method))

    def make_invalid_utf8(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("invalid UTF-8 in a string")
        line = self.call_line(request_id, tool, arguments).encode("utf-8")
        bad = self.rng.choice([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x80", b"\xf4\x90\x80\x80"])
        position = line.index(case.nonces[0].encode()) + len(case.nonces[0])
        case.line = line[:position] + bad + line[position:]
        return [case]

    def make_trailing(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("trailing bytes after the message")
        line = self.call_line(request_id, tool, arguments)
        second = self.simple("trailing bytes after the message")
        case.nonces += second[0].nonces
        tail = self.rng.choice([self.call_line(second[3], second[1], second[2]), "\x00", "\ufeff", "]", " x"])
        head = self.rng.choice(["", "\ufeff"])
        return self.finish(case, head + line + tail)

    def make_args_as_string(self) -> list[Case]:
        case, tool, arguments, request_id = self.simple("arguments as a JSON string")
        return self.finish(case, self.call_line(request_id, tool, dumps(arguments, self.rng)))


def generate(rng: random.Random, count: int) -> list[Case]:
    """About `count` hostile lines, reproducible from `rng`'s seed."""
    lines = HostileLines(rng)
    cases: list[Case] = []
    while len(cases) < count:
        cases += lines.case()
    return cases
