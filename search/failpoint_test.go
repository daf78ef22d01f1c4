package search

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"
)

// failpointChildEnv, when set, makes TestFailpointChild publish a generation
// into the folder it names (in a child process armed with FAILPOINT).
const failpointChildEnv = "INLSEARCH_TEST_FAILPOINT_DIR"

// TestFailpointChild is the child of TestKillDuringSwap; alone it does nothing.
func TestFailpointChild(t *testing.T) {
	dir := os.Getenv(failpointChildEnv)
	if dir == "" {
		t.Skip("child process of TestKillDuringSwap")
	}
	st, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv(incrementalChildEnv) != "" {
		cur, _, err := st.Pointer()
		if err != nil {
			t.Fatal(err)
		}
		seen := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		MustBuild(t, st, cur, incrementalDocs(seen), seen)
		return
	}
	MustPublish(t, st, genDocs("b", "aviation", 40), false)
}

// TestKillDuringSwap kills a process with SIGKILL right after each step of
// publishing generation B over A (FAILPOINT=swap:<step>) and checks that
// the folder then serves exactly one complete generation, A before the
// pointer's rename and B after it, never a mix, never nothing; that A stays
// on disk; and that the next publication succeeds (D2).
func TestKillDuringSwap(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	published := slices.Index(FailpointSteps, "pointer-renamed")
	for i, step := range FailpointSteps {
		if step == "old-closed" {
			continue // a server step: scripts/chaos.sh
		}
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			st := MustStore(t)
			a := MustPublish(t, st, genDocs("a", "aviation", 30), false)
			cmd := exec.Command(os.Args[0], "-test.run=^TestFailpointChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), failpointChildEnv+"="+st.Dir, FailpointEnv+"=swap:"+step)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child = %v, want killed by SIGKILL at %s\n%s", err, step, out)
			}
			want, total := a, 30
			if i >= published {
				want, total = "", 40 // B, whose id the child knew
			}
			l, err := OpenLive(st.Dir)
			if err != nil {
				t.Fatal(err)
			}
			s := l.Status()
			if !s.Serving || s.Degraded != "" || s.Error != "" || (want != "" && s.Generation.ID != want) || s.Generation.ID == "" {
				t.Fatalf("after a kill at %s: Status() = %+v, want generation %q served whole", step, s, want)
			}
			res, err := l.Search(t.Context(), Query{PerPage: 1, NoFacets: true})
			if err != nil || res.Total != total || s.Generation.Passages != total {
				t.Errorf("after a kill at %s: %+v, %v; want %d passages served", step, res, err, total)
			}
			l.Close()
			if _, err := st.Info(a); err != nil {
				t.Errorf("after a kill at %s: generation A lost: %v", step, err)
			}
			st.CleanPartial()
			MustPublish(t, st, genDocs("c", "aviation", 50), false)
		})
	}
}

// incrementalChildEnv, when set, makes TestFailpointChild build its
// generation from the current one instead of in full.
const incrementalChildEnv = "INLSEARCH_TEST_FAILPOINT_INCREMENTAL"

// incrementalDocs is the second version of genDocs("a", …, 30): ten
// passages changed, five removed, five added.
func incrementalDocs(seen time.Time) []Document {
	docs := genDocs("a", "aviation", 35)
	for i := range docs {
		docs[i].LastSeen = seen
		if i < 10 {
			docs[i].Text += " Changed."
		}
	}
	return append(docs[:20], docs[25:]...)
}

// TestKillDuringIncrementalBuild is TestKillDuringSwap for a generation
// built from the served one: after a kill at any step, the folder serves
// the base or the new generation whole, the base's files are byte for
// byte what they were, and the next incremental build succeeds.
func TestKillDuringIncrementalBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	seen := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	published := slices.Index(FailpointSteps, "pointer-renamed")
	steps := append(slices.Clone(IncrementalFailpointSteps), FailpointSteps...)
	for _, step := range steps {
		if step == "old-closed" {
			continue
		}
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			st := MustStore(t)
			base := genDocs("a", "aviation", 30)
			for i := range base {
				base[i].LastSeen = seen.Add(-time.Hour)
			}
			a, _ := MustBuild(t, st, "", base, seen.Add(-time.Hour))
			before := snapshotFiles(t, st.genPath(a))
			cmd := exec.Command(os.Args[0], "-test.run=^TestFailpointChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), failpointChildEnv+"="+st.Dir, incrementalChildEnv+"=1", FailpointEnv+"=swap:"+step)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child = %v, want killed by SIGKILL at %s\n%s", err, step, out)
			}
			total := 30 // 30 + 5 added - 5 removed
			l, err := OpenLive(st.Dir)
			if err != nil {
				t.Fatal(err)
			}
			s := l.Status()
			if !s.Serving || s.Degraded != "" || s.Error != "" {
				t.Fatalf("after a kill at %s: Status() = %+v, want a generation served whole", step, s)
			}
			res, err := l.Search(t.Context(), Query{Q: "changed", PerPage: 1, NoFacets: true})
			changed := 0
			if s.Generation.ID != a {
				changed = 10
			}
			if err != nil || res.Total != changed || s.Generation.Passages != total {
				t.Errorf("after a kill at %s: generation %s, %d changed passages of %d (%v); want %d", step, s.Generation.ID, res.Total, s.Generation.Passages, err, changed)
			}
			if i := slices.Index(FailpointSteps, step); (i >= published) != (s.Generation.ID != a) {
				t.Errorf("after a kill at %s: serving %s (base %s)", step, s.Generation.ID, a)
			}
			l.Close()
			for name, b := range snapshotFiles(t, st.genPath(a)) {
				if !bytes.Equal(b, before[name]) {
					t.Errorf("after a kill at %s: the base's %s changed", step, name)
				}
			}
			st.CleanPartial()
			cur, _, _ := st.Pointer()
			MustBuild(t, st, cur, incrementalDocs(seen.Add(time.Hour)), seen.Add(time.Hour))
		})
	}
}
