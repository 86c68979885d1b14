package procedure

import (
	"runtime"
	"testing"
)

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkFleetMemory builds a fleet of b.N devices (escrow
// personalisation of 2 pairs each, the emulated card behind its activated
// terminal, operator A's subscriber records) and reports the live heap
// each device adds: the figure that says how many devices fit in memory.
func BenchmarkFleetMemory(b *testing.B) {
	before := heapInUse()
	_, A, _, ids, devs := benchWorld(b, b.N, false)
	after := heapInUse()
	b.ReportMetric(float64(after-before)/float64(b.N), "heap-B/device")
	runtime.KeepAlive(A)
	runtime.KeepAlive(ids)
	runtime.KeepAlive(devs)
}
