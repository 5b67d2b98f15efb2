"""Bounded buffer (000:305-345): a producer writes ITEMS items into a circular buffer of SIZE
slots, a consumer reads them; `empty` and `full` semaphores count the slots, a Lock guards
the indices. Prints the seconds the two threads took."""
import sys
import threading
import time

items, size = int(sys.argv[1]), int(sys.argv[2])
buffer = [0] * size
write_at = read_at = 0
empty = threading.Semaphore(size)
full = threading.Semaphore(0)
mutex = threading.Lock()
total = 0


def producer():
    global write_at
    for item in range(items):
        empty.acquire()
        with mutex:
            buffer[write_at] = item
            write_at = (write_at + 1) % size
        full.release()


def consumer():
    global read_at, total
    for _ in range(items):
        full.acquire()
        with mutex:
            item = buffer[read_at]
            read_at = (read_at + 1) % size
        empty.release()
        total += item


threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
assert total == items * (items - 1) // 2, total
print(elapsed)
