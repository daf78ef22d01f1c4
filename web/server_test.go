package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

func TestHTTPServerTimeouts(t *testing.T) {
	t.Parallel()
	hs := newHTTPServer(http.NotFoundHandler(), slog.New(slog.DiscardHandler), ServerLimits{})
	if hs.ReadHeaderTimeout != 5*time.Second || hs.ReadTimeout != 10*time.Second ||
		hs.WriteTimeout != 15*time.Second || hs.IdleTimeout != 60*time.Second || hs.MaxHeaderBytes != 64<<10 {
		t.Errorf("timeouts = %v %v %v %v %d", hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout, hs.MaxHeaderBytes)
	}
}

// TestServeGracefulShutdown: a search in flight when ctx ends still gets
// its 200, and Serve returns nil (D8).
func TestServeGracefulShutdown(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	release := make(chan struct{})
	fixture := fixtureSearch(fixtureDocs())
	fake := &fakeSearcher{SearchFn: func(ctx context.Context, q search.Query) (*search.Result, error) {
		if q.Q == "slow" {
			close(entered)
			<-release
		}
		return fixture(ctx, q)
	}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- MustServer(t, Config{}, fake, nil, nil).Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}

	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/api/v1/search?q=slow")
		if err != nil {
			slow <- -1
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	<-entered
	cancel()
	time.Sleep(50 * time.Millisecond) // let Shutdown close the listener first
	close(release)
	if code := <-slow; code != 200 {
		t.Errorf("in-flight search = %d, want 200", code)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("Serve did not return")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}
