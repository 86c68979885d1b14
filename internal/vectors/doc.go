// Package vectors keeps the packages' copies of the shared reference
// vectors honest: each package that tests against a vector file of
// ../shared/vectors (TS 35.208 Milenage sets, SCP80 packets, EF codecs)
// holds its own copy in testdata/ so that it tests without the shared
// folder, and this package's test checks every such copy is byte-identical
// to the shared original.
package vectors
