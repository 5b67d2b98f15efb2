"""Prime factors (004:550-635) of COUNT random numbers of 20,000 to 100,000,000, on a Pool of
WORKERS processes (the course's processes: threads would share one interpreter lock), one
slice of the numbers per task. Prints the seconds."""
import multiprocessing
import random
import sys
import time


def calculate_prime_factors(n):
    primfac = []
    d = 2
    while d * d <= n:
        while (n % d) == 0:
            primfac.append(d)
            n //= d
        d += 1
    if n > 1:
        primfac.append(n)
    return primfac


def factor_slice(numbers):
    return [calculate_prime_factors(n) for n in numbers]


if __name__ == "__main__":
    count, workers = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(2024)
    numbers = [rng.randint(20000, 100000000) for _ in range(count)]
    step = max(1, -(-count // (4 * workers)))
    slices = [numbers[i:i + step] for i in range(0, count, step)]
    start = time.perf_counter()
    with multiprocessing.Pool(processes=workers) as pool:
        results = [f for part in pool.map(factor_slice, slices) for f in part]
    elapsed = time.perf_counter() - start
    assert len(results) == count
    print(elapsed)
