// Command ferretdb runs an embedded FerretDB v1.24 (SQLite backend) for Helpline's local development and tests.
//
// It is started by src/store/local-mongo.ts when MONGODB_URI is unset. Once the listener is bound it prints
// exactly one line to stdout:
//
//	READY mongodb://127.0.0.1:<port>/
//
// It exits cleanly on SIGTERM/SIGINT and when its stdin reaches EOF, so that it dies with its parent process
// (even when the parent is SIGKILLed) as long as the parent holds the write end of the stdin pipe.
//
// Embedding github.com/FerretDB/FerretDB/ferretdb (instead of `go install .../cmd/ferretdb`) avoids the missing
// build/version/version.txt panic (FerretDB issue 2982), keeps telemetry off, and starts no debug/metrics HTTP
// listener: the embeddable Config has no such listener at all (only cmd/ferretdb's --debug-addr starts one).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// shutdownGrace bounds a clean shutdown. FerretDB gives open client connections 3 s to go away before it
// cancels them; after that, closing the SQLite pool is quick.
const shutdownGrace = 10 * time.Second

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}
}

func run() error {
	dataDir := flag.String("data", "", "SQLite data directory (created if missing)")
	listen := flag.String("listen", "127.0.0.1:0", "TCP listen address; the host must be a loopback address, port 0 picks a free port")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error (logs go to stderr)")
	watchStdin := flag.Bool("exit-on-stdin-eof", true, "exit when stdin reaches EOF (the parent process went away)")
	flag.Parse()

	if flag.NArg() != 0 {
		return fmt.Errorf("unexpected arguments: %q", flag.Args())
	}

	if *dataDir == "" {
		return errors.New("-data <dir> is required")
	}

	if err := checkLoopback(*listen); err != nil {
		return err
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	absDir, err := filepath.Abs(*dataDir)
	if err != nil {
		return fmt.Errorf("-data: %w", err)
	}

	if err = os.MkdirAll(absDir, 0o700); err != nil {
		return fmt.Errorf("creating data directory: %w", err)
	}

	// `file:<abs dir>/`; FerretDB requires the "file" scheme, no host, and a path ending in "/".
	// url.URL escapes characters such as '%', '?' and '#' that would otherwise break the parse.
	sqliteURL := (&url.URL{Scheme: "file", Path: strings.TrimSuffix(absDir, "/") + "/", OmitHost: true}).String()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	if *watchStdin {
		go func() {
			// Returns on EOF (the parent closed the pipe or died) or on a read error.
			_, _ = io.Copy(io.Discard, os.Stdin)
			cancel(errors.New("stdin closed"))
		}()
	}

	// ferretdb.New binds the TCP listener, so MongoDBURI() is valid as soon as it returns.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	done := make(chan struct{})

	go func() {
		defer close(done)

		_ = f.Run(ctx)
	}()

	if _, err = fmt.Fprintf(os.Stdout, "READY %s\n", f.MongoDBURI()); err != nil {
		cancel(err)
	}

	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}

	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		logger.Info("Shutting down", slog.String("reason", cause.Error()))
	}

	// A second signal, or a shutdown that hangs, ends the process without waiting any longer.
	stop()

	again := make(chan os.Signal, 1)
	signal.Notify(again, syscall.SIGTERM, syscall.SIGINT)

	select {
	case <-done:
		return nil
	case s := <-again:
		return fmt.Errorf("%s during shutdown, exiting at once", s)
	case <-time.After(shutdownGrace):
		return fmt.Errorf("shutdown did not finish in %s", shutdownGrace)
	}
}

// checkLoopback refuses to listen anywhere but on a loopback address: this server has no authentication.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}

	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q: host must be a loopback IP address such as 127.0.0.1", addr)
	}

	return nil
}
