"""Counter: THREADS threads each add 1 to a shared counter INCREMENTS times, under a Lock
(003 incremente.py, fixed with `with lock:`). Prints the seconds the threads took."""
import sys
import threading
import time

threads, increments = int(sys.argv[1]), int(sys.argv[2])
counter = 0
lock = threading.Lock()


def work():
    global counter
    for _ in range(increments):
        with lock:
            counter += 1


workers = [threading.Thread(target=work) for _ in range(threads)]
start = time.perf_counter()
for t in workers:
    t.start()
for t in workers:
    t.join()
elapsed = time.perf_counter() - start
assert counter == threads * increments, counter
print(elapsed)
