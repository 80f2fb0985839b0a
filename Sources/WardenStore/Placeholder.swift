enum _S {}
