package org.cbhealth.hub.limits;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the request bodies of {@code /fhir} and of partners' REST channels before anything reads them: a body
 * larger than {@code cbhealth.limits.max-request-bytes} is answered 413; a {@code Content-Encoding: gzip} body is
 * inflated here, counting, and answered 413 as soon as it grows past {@code max-inflated-bytes} (so a gzip bomb never
 * reaches HAPI, which would inflate it whole); a body that is not gzip though it says so is answered 400, another
 * content coding 415. Every answer is an OperationOutcome naming the problem. What a partner's channel refuses here
 * is parked with the reason ({@link RefusedInputParking}); the body is kept when it is within the size limit (a gzip
 * bomb is kept compressed), otherwise only its size.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private static final String PARTNER_PREFIX = "/api/partners/";

    private final InputLimitsProperties limits;
    private final FhirContext fhirContext;
    private final RefusedInputParking parking;

    public RequestBodyLimitFilter(InputLimitsProperties limits, FhirContext fhirContext, RefusedInputParking parking) {
        this.limits = limits;
        this.fhirContext = fhirContext;
        this.parking = parking;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (!"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method)) {
            chain.doFilter(request, response);
            return;
        }
        String coding = request.getHeader("Content-Encoding");
        coding = coding == null ? "identity" : coding.trim().toLowerCase(Locale.ROOT);
        if (!coding.equals("identity") && !coding.equals("gzip") && !coding.equals("x-gzip")) {
            refuse(
                    request,
                    response,
                    415,
                    IssueType.NOTSUPPORTED,
                    "Content-Encoding",
                    "Content-Encoding '" + coding + "' is not accepted; send the body as is or gzip-compressed",
                    null);
            return;
        }
        long declared = request.getContentLengthLong();
        // read up to the limit even when the declared length is larger: a client is then still able to read the answer
        byte[] body = readAtMost(request.getInputStream(), limits.maxRequestBytes());
        if (body == null) {
            refuse(request, response, 413, IssueType.TOOLONG, "request", tooLarge(declared), null);
            return;
        }
        if (!coding.equals("identity")) {
            byte[] inflated;
            try {
                inflated = readAtMost(new GZIPInputStream(new ByteArrayInputStream(body)), limits.maxInflatedBytes());
            } catch (ZipException | java.io.EOFException e) {
                refuse(
                        request,
                        response,
                        400,
                        IssueType.INVALID,
                        "Content-Encoding",
                        "the body is not valid gzip though Content-Encoding says so: " + e.getMessage(),
                        body);
                return;
            }
            if (inflated == null) {
                refuse(
                        request,
                        response,
                        413,
                        IssueType.TOOLONG,
                        "Content-Encoding",
                        "the gzip body inflates to more than the limit of " + limits.maxInflatedBytes()
                                + " bytes; split the message",
                        body);
                return;
            }
            body = inflated;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private String tooLarge(long declared) {
        return (declared > 0 ? "the body of " + declared + " bytes" : "the body") + " is larger than the limit of "
                + limits.maxRequestBytes() + " bytes; split the message";
    }

    /** The stream's bytes, or null when there are more than {@code max}. */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private void refuse(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            IssueType type,
            String location,
            String reason,
            byte[] kept)
            throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(PARTNER_PREFIX)) {
            String[] parts = path.substring(PARTNER_PREFIX.length()).split("/");
            if (parts.length == 2) {
                parking.park(parts[0], parts[1], location + ": " + reason, request.getContentType(), kept);
            }
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(reason)
                .addExpression(location);
        byte[] answer =
                fhirContext.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.setHeader("Connection", "close");
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /** The request with its body read (and inflated) already; it no longer says it is compressed. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public String getHeader(String name) {
            if ("Content-Encoding".equalsIgnoreCase(name)) {
                return null;
            }
            if ("Content-Length".equalsIgnoreCase(name)) {
                return Integer.toString(body.length);
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if ("Content-Encoding".equalsIgnoreCase(name)) {
                return Collections.emptyEnumeration();
            }
            if ("Content-Length".equalsIgnoreCase(name)) {
                return Collections.enumeration(java.util.List.of(Integer.toString(body.length)));
            }
            return super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(h -> !"Content-Encoding".equalsIgnoreCase(h))
                    .toList());
        }
    }
}
