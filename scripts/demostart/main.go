// Command demostart measures how quickly the demo answers its first page
// and how much memory it holds meanwhile: it starts the built server on a
// fresh data folder several times, asks for /signin until it answers 200,
// and reports the median time to that first answer and the peak resident
// memory (VmHWM) a few seconds after start, once the background reading
// of the demo's calendars has run:
//
//	go build -o /tmp/ip ./cmd/interviewplanner && go run ./scripts/demostart -bin /tmp/ip -runs 7
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "", "the built server (go build -o BIN ./cmd/interviewplanner)")
	runs := flag.Int("runs", 7, "starts to measure")
	settle := flag.Duration("settle", 3*time.Second, "how long after the first answer to read the peak memory")
	flag.Parse()
	if *bin == "" {
		log.Fatal("-bin is required")
	}
	var firsts []time.Duration
	var peaks []int
	for i := 0; i < *runs; i++ {
		first, peak, err := once(*bin, *settle)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("run %d: first answer %v, peak RSS %d MB\n", i+1, first.Round(time.Millisecond), peak>>10)
		firsts, peaks = append(firsts, first), append(peaks, peak)
	}
	slices.Sort(firsts)
	slices.Sort(peaks)
	fmt.Printf("median of %d: first answer %v, peak RSS %d MB (max %d MB)\n", *runs, firsts[len(firsts)/2].Round(time.Millisecond), peaks[len(peaks)/2]>>10, peaks[len(peaks)-1]>>10)
}

// once starts the demo on a new data folder and returns the time to its
// first 200 and its peak resident memory in KiB.
func once(bin string, settle time.Duration) (time.Duration, int, error) {
	dir, err := os.MkdirTemp("", "demostart")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "IP_ADDR="+addr, "IP_DATA_DIR="+dir, "IP_LOG_LEVEL=error", "DATABASE_URL=")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	client := &http.Client{Timeout: time.Second}
	for {
		if time.Since(start) > 60*time.Second {
			return 0, 0, fmt.Errorf("no answer from %s within a minute", addr)
		}
		res, err := client.Get("http://" + addr + "/signin")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	first := time.Since(start)
	time.Sleep(settle)
	return first, peakRSS(cmd.Process.Pid), nil
}

// peakRSS reads VmHWM (KiB) from /proc.
func peakRSS(pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb
		}
	}
	return 0
}
