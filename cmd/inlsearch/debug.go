package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// checkDebugAddr accepts only loopback addresses: the profiles tell a lot
// about the process and are for the operator on the machine.
func checkDebugAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError{fmt.Sprintf("--debug-addr %q: %v", addr, err)}
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usageError{fmt.Sprintf("--debug-addr %q: only a loopback address is allowed", addr)}
	}
	return nil
}

// serveDebug serves the Go runtime's profiles (net/http/pprof: goroutines,
// heap…) on a loopback listener of its own until ctx ends, for the load
// script and for operators. It is off unless --debug-addr is given.
func serveDebug(ctx context.Context, ln net.Listener, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	serveSide(ctx, ln, mux, "debug", log)
}

// serveMetrics serves /metrics alone on ln (--metrics-addr) until ctx ends.
func serveMetrics(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	serveSide(ctx, ln, mux, "metrics", log)
}

// serveSide serves a side listener (profiles, metrics) until ctx ends.
func serveSide(ctx context.Context, ln net.Listener, mux http.Handler, name string, log *slog.Logger) {
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 60 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Warn(name+" listener", slog.Any("error", err))
	}
}
