package vectors

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/internal/systest"
)

// TestTestdataCopiesMatchShared compares every testdata copy of a shared
// vector file with the original in ../shared/vectors (beside the module
// root, as in CI).
func TestTestdataCopiesMatchShared(t *testing.T) {
	root := filepath.Join("..", "..")
	shared := filepath.Join(root, "..", "shared", "vectors")
	originals, err := filepath.Glob(filepath.Join(shared, "*.json"))
	systest.Require(t, "the shared reference vectors in ../shared/vectors", err == nil && len(originals) > 0)
	want := map[string][]byte{}
	for _, o := range originals {
		b, err := os.ReadFile(o)
		if err != nil {
			t.Fatal(err)
		}
		want[filepath.Base(o)] = b
	}
	copies := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		orig, ok := want[d.Name()]
		if !ok || d.IsDir() || filepath.Base(filepath.Dir(path)) != "testdata" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		copies++
		if !bytes.Equal(b, orig) {
			t.Errorf("%s differs from ../shared/vectors/%s: refresh the copy", path, d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if copies == 0 {
		t.Fatal("no testdata copy of any shared vector file found")
	}
	t.Logf("%d testdata copies match the shared vectors", copies)
}
