// Country from an IP address with an offline database that ships in an npm package
// (@ip-location-db, CC0/CC BY 4.0 data). GEOIP_MMDB may point at another country .mmdb file
// with a `country_code` or MaxMind `country.iso_code` field.
import { createRequire } from 'node:module';
import maxmind, { type Reader, type Response } from 'maxmind';

// The ip-location-db files carry `country_code`; MaxMind's carry `country.iso_code`.
type CountryRecord = Response & { country_code?: string; country?: { iso_code?: string } };

export type CountryLookup = (ip: string | undefined) => string | null;

export async function openCountryLookup(log: (msg: string) => void, file = process.env.GEOIP_MMDB): Promise<CountryLookup> {
  const path = file ?? createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
  let reader: Reader<CountryRecord>;
  try {
    reader = await maxmind.open<CountryRecord>(path, { cache: { max: 10_000 } });
  } catch (err) {
    log(`country lookup disabled: ${(err as Error).message}`);
    return () => null;
  }
  return (ip) => {
    if (!ip || !maxmind.validate(ip)) return null;
    try {
      const rec = reader.get(ip);
      const code = rec?.country_code ?? rec?.country?.iso_code;
      return code && /^[A-Z]{2}$/.test(code) ? code : null;
    } catch {
      return null;
    }
  };
}
