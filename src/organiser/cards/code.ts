/** In the mini-program the printed cards and receipts carry a mini-program code (wxacode.getUnlimited, scene = the
 * card number); in H5 a standard QR code of the H5 page. Sent as the `code` of wishCards issue / receipt. */
export const CODE: { code?: 'wxacode' } = process.env.TARO_ENV === 'weapp' ? { code: 'wxacode' } : {};
