"""Dining philosophers (004:1958-2033), five Lock forks, each philosopher taking the
lower-numbered of its two forks first (no deadlock), MEALS meals each. Prints the seconds."""
import sys
import threading
import time

n, meals = int(sys.argv[1]), int(sys.argv[2])
forks = [threading.Lock() for _ in range(n)]
eaten = [0] * n


def philosopher(i):
    first, second = sorted((i, (i + 1) % n))
    for _ in range(meals):
        with forks[first]:
            with forks[second]:
                eaten[i] += 1


threads = [threading.Thread(target=philosopher, args=(i,)) for i in range(n)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
assert eaten == [meals] * n, eaten
print(elapsed)
