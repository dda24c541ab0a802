// Small inline icons for call controls (currentColor, decorative: buttons carry their own labels).
const base = { width: 16, height: 16, viewBox: '0 0 16 16', fill: 'none', 'aria-hidden': true } as const;
const line = { stroke: 'currentColor', strokeWidth: 1.5, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export function CameraIcon({ off = false }: { off?: boolean }) {
  return (
    <svg {...base}>
      <rect x="1.5" y="4" width="9" height="8" rx="1.8" {...line} />
      <path d="M10.5 7.2 14.5 5v6l-4-2.2" {...line} />
      {off && <path d="M2 2.5l12 11" {...line} />}
    </svg>
  );
}

export function MicIcon({ off = false }: { off?: boolean }) {
  return (
    <svg {...base}>
      <rect x="5.5" y="1.5" width="5" height="8.5" rx="2.5" {...line} />
      <path d="M3 7.5a5 5 0 0 0 10 0M8 12.5v2" {...line} />
      {off && <path d="M2 2.5l12 11" {...line} />}
    </svg>
  );
}

export function ScreenIcon() {
  return (
    <svg {...base}>
      <rect x="1.5" y="2.5" width="13" height="9" rx="1.5" {...line} />
      <path d="M5.5 14h5M8 11.5V14M8 9V5M6 7l2-2 2 2" {...line} />
    </svg>
  );
}

export function PhoneIcon({ hang = false }: { hang?: boolean }) {
  return (
    <svg {...base} style={hang ? { transform: 'rotate(135deg)' } : undefined}>
      <path
        d="M3.2 1.8h2.3l1.1 3-1.5 1a8 8 0 0 0 3.9 3.9l1-1.5 3 1.1v2.3a1.6 1.6 0 0 1-1.7 1.6A11.8 11.8 0 0 1 1.6 3.5a1.6 1.6 0 0 1 1.6-1.7Z"
        {...line}
      />
    </svg>
  );
}

export function ChevronIcon({ up = false }: { up?: boolean }) {
  return (
    <svg {...base} style={up ? { transform: 'rotate(180deg)' } : undefined}>
      <path d="M4 6l4 4 4-4" {...line} />
    </svg>
  );
}
