// The least a stdio proxy can do: start the command, copy bytes both ways, add nothing.
// Usage: null-relay COMMAND [ARG...]. scripts/bench compiles it and times calls through it,
// so a proxy's added latency can be read against the cost of one more process and two more pipes.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct pump { int from, to; };

static void *copy(void *argument) {
    struct pump *pump = argument;
    char buffer[65536];
    ssize_t count;
    while ((count = read(pump->from, buffer, sizeof buffer)) > 0) {
        for (ssize_t done = 0, wrote; done < count; done += wrote) {
            if ((wrote = write(pump->to, buffer + done, (size_t)(count - done))) <= 0) return NULL;
        }
    }
    close(pump->to);  // EOF on one side is EOF on the other
    return NULL;
}

int main(int argc, char **argv) {
    int down[2], up[2];
    if (argc < 2 || pipe(down) != 0 || pipe(up) != 0) { fprintf(stderr, "usage: null-relay COMMAND [ARG...]\n"); return 2; }
    pid_t child = fork();
    if (child == 0) {
        dup2(down[0], 0); dup2(up[1], 1);
        close(down[0]); close(down[1]); close(up[0]); close(up[1]);
        execvp(argv[1], argv + 1);
        perror("null-relay: exec"); _exit(127);
    }
    close(down[0]); close(up[1]);
    struct pump toChild = {0, down[1]}, fromChild = {up[0], 1};
    pthread_t inward, outward;
    pthread_create(&inward, NULL, copy, &toChild);
    pthread_create(&outward, NULL, copy, &fromChild);
    pthread_join(outward, NULL);  // the child closed its stdout: it is done
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
