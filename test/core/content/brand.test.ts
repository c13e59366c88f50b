import { BrandSchema, contrastRatio } from '../../../core/content/schemas';

describe("the clinic's brand (chat page colours and logo)", () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#0f766e', '#ffffff')).toBeGreaterThan(4.5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
  });

  it('refuses colours patients could not read, and logo paths outside content/', () => {
    expect(BrandSchema.safeParse({ primaryColor: '#ffff00', onPrimaryColor: '#ffffff' }).success).toBe(false);
    expect(BrandSchema.safeParse({ primaryColor: 'teal' }).success).toBe(false);
    for (const logo of ['../secret.svg', '/etc/passwd.png', 'brand/logo.exe', 'a/../../b.svg']) {
      expect(BrandSchema.safeParse({ logo }).success).toBe(false);
    }
    expect(BrandSchema.parse({ logo: 'brand/logo.svg' })).toEqual({
      primaryColor: '#0f766e',
      onPrimaryColor: '#ffffff',
      logo: 'brand/logo.svg',
    });
  });
});
