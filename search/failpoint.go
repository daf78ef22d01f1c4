package search

import (
	"os"
	"strings"
)

// FailpointEnv names the environment variable that arms a failpoint for the
// chaos tests (RELIABILITY.md D2): FAILPOINT=swap:<step> kills the process
// with SIGKILL right after that step of publishing a generation or of
// swapping to it. The steps, in order:
//
//	closed          the new index is closed (its segments are fsynced by bleve)
//	checked         the new index reopened, counted and probed
//	complete        COMPLETE written (temp file, fsync, rename, fsync folder)
//	pointer-temp    the new CURRENT written to a temp file and fsynced
//	pointer-renamed the temp file renamed over CURRENT
//	pointer-synced  the folder fsynced: the generation is published
//	pruned          generations older than the previous one removed
//	old-closed      (server) the swapped-out generation closed
//
// An incremental build (incremental.go) has two more, before "closed":
//
//	linked          the base's index linked and copied into the new folder
//	deleted         the passages the base has and the new one lacks deleted
//
// Without the variable, failpoints cost one string comparison.
const FailpointEnv = "FAILPOINT"

// FailpointSteps lists the steps FailpointEnv accepts, in order.
var FailpointSteps = []string{"closed", "checked", "complete", "pointer-temp", "pointer-renamed", "pointer-synced", "pruned", "old-closed"}

// IncrementalFailpointSteps lists the steps only an incremental build passes.
var IncrementalFailpointSteps = []string{"linked", "deleted"}

var armedStep = func() string {
	v, ok := strings.CutPrefix(os.Getenv(FailpointEnv), "swap:")
	if !ok {
		return ""
	}
	return v
}()

// failpoint kills the process when step is the armed one.
func failpoint(step string) {
	if armedStep == "" || armedStep != step {
		return
	}
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		_ = p.Kill()
	}
	select {} // SIGKILL is on its way
}
