"""Ping-pong (003:600-640) with a Condition on the Ping_OK flag: one ping thread and one pong
thread, TURNS words each, strictly alternating. Prints the seconds."""
import sys
import threading
import time

turns = int(sys.argv[1])
ping_ok = threading.Condition()
state = {"ping_ok": False}
words = []


def player(word):
    mine = (lambda: not state["ping_ok"]) if word == "ping" else (lambda: state["ping_ok"])
    for _ in range(turns):
        with ping_ok:
            ping_ok.wait_for(mine)
            words.append(word)
            state["ping_ok"] = not state["ping_ok"]
            ping_ok.notify_all()


threads = [threading.Thread(target=player, args=(w,)) for w in ("ping", "pong")]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
assert len(words) == 2 * turns and all(w != v for w, v in zip(words, words[1:]))
print(elapsed)
