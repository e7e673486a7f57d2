package com.shopsense.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * The job's state (from its JobClient) and restart count (Flink's {@code numRestarts} job metric, from
 * the MiniCluster's REST endpoint), each with a short timeout: an answer it cannot get is "unknown",
 * never an exception that would end the run.
 */
final class JobWatch {
    /** Empty status or restarts: not known this round. */
    record State(Optional<JobStatus> status, OptionalLong restarts) {
        boolean ended() {
            return status.isPresent() && status.get().isGloballyTerminalState();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobClient client;
    private final URI restarts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code rest}: the MiniCluster's REST address, e.g. http://127.0.0.1:8081. */
    JobWatch(JobClient client, URI rest) {
        this.client = client;
        this.restarts = rest.resolve("/jobs/" + client.getJobID() + "/metrics?get=numRestarts");
    }

    State read() {
        Optional<JobStatus> status;
        try {
            status = Optional.of(client.getJobStatus().get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = Optional.empty();
        } catch (Exception e) {
            status = Optional.empty();
        }
        return new State(status, restarts());
    }

    private OptionalLong restarts() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(restarts).timeout(Duration.ofSeconds(2)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? numRestarts(r.body()) : OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }

    /** {@code [{"id":"numRestarts","value":"2"}]} to 2; empty before the metric is reported. */
    static OptionalLong numRestarts(String body) {
        try {
            for (JsonNode m : JSON.readTree(body)) {
                if ("numRestarts".equals(m.path("id").asText())) {
                    return OptionalLong.of(Long.parseLong(m.path("value").asText()));
                }
            }
        } catch (Exception unreadable) {
            // unknown this round
        }
        return OptionalLong.empty();
    }
}
