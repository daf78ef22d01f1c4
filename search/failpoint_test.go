package search

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
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
