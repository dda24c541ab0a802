// Next.js settings. Security headers are set by the custom server (server/http/security-headers.ts).
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Do not advertise the framework (X-Powered-By: Next.js).
  poweredByHeader: false,
};

export default nextConfig;
